"""The fault bench: the site under load while Redis, then PostgreSQL, is killed for 15 s.

Starts its OWN PostgreSQL cluster (initdb on a spare port, as an unprivileged user when run as
root) and its OWN redis-server on a spare port, fills the database (`load_demo`,
`generate_articles`), serves the site with gunicorn (2 sync workers) and drives it with wrk over
a few hundred story pages. Meanwhile two probes ask every 100 ms for /healthz and for a page that
is never cached (a signed-in reader's section page). Each scenario: 10 s of load, the dependency
killed (SIGKILL for Redis, an immediate shutdown for PostgreSQL), 15 s later started again, 15 s
more. It prints, per scenario and window, the answers by status, /healthz latency, what the
uncached probe got, and how long after the restart (the start command, which includes the server's own
start-up) the first good answers arrived.

    make bench ARGS=faults
    BENCH_CODE=/path/to/another/checkout make bench ARGS=faults    # the same bench against it

Environment: BENCH_CODE (the checkout to serve, default this one), BENCH_FAULT_STORIES (2000),
BENCH_FAULT_SCENARIOS (comma-separated names, default all), BENCH_OUTAGE (15 seconds).
Needs wrk, redis-server and PostgreSQL's binaries. It never touches the shared PostgreSQL or Redis.
"""

import json
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

try:
    from . import _services as services
except ImportError:  # loaded by bench/run.py as a plain file
    import importlib.util

    _spec = importlib.util.spec_from_file_location("bench_services", Path(__file__).with_name("_services.py"))
    services = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(services)

CODE = Path(os.environ.get("BENCH_CODE", services.ROOT)).resolve()
STORIES = int(os.environ.get("BENCH_FAULT_STORIES", "2000"))
BEFORE, OUTAGE, AFTER = 10, int(os.environ.get("BENCH_OUTAGE", "15")), 15
LUA = Path(__file__).with_name("_count_statuses.lua")


class Probe(threading.Thread):
    """GETs `url` every `every` seconds; records (time, status or error, milliseconds, body)."""

    def __init__(self, url: str, headers: dict | None = None, every: float = 0.1):
        super().__init__(daemon=True)
        self.url, self.headers, self.every = url, headers or {}, every
        self.results = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            started = time.time()
            body = b""
            try:
                request = urllib.request.Request(self.url, headers=self.headers)  # noqa: S310 (loopback)
                with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            except TimeoutError:
                status = "timeout"
            except OSError as error:
                status = "timeout" if "timed out" in str(error) else "refused"
            elapsed = time.time() - started
            self.results.append((started, status, elapsed * 1000, body))
            self.stopping.wait(max(0.0, self.every - elapsed))

    def stop(self):
        self.stopping.set()
        self.join()


def healthy(body: bytes) -> bool:
    """/healthz says everything is fine: "ok" (before this bench's branch) or JSON status "ok"."""
    if body.strip() == b"ok":
        return True
    try:
        return json.loads(body)["status"] == "ok"
    except (ValueError, KeyError, TypeError):
        return False


def run_scenario(name: str, site: services.Gunicorn, kill, restart, paths_file: Path, uncached: str) -> dict:
    health = Probe(site.base + "/healthz")
    page = Probe(site.base + uncached, {"Cookie": "sessionid=bench-bypasses-the-page-cache"})
    result = {}

    def load():
        env = {**os.environ, "BENCH_PATHS": str(paths_file)}
        command = ["wrk", "-t2", "-c8", f"-d{BEFORE + OUTAGE + AFTER}s", "--timeout", "3s", "-s", str(LUA), site.base]
        import subprocess

        result["output"] = subprocess.run(command, env=env, text=True, capture_output=True, check=True).stdout

    health.start()
    page.start()
    started = time.time()
    loader = threading.Thread(target=load)
    loader.start()
    time.sleep(BEFORE)
    killed_at = time.time()
    kill()
    time.sleep(OUTAGE)
    restarted_at = time.time()
    restart()
    loader.join()
    health.stop()
    page.stop()
    return {
        "name": name,
        "started": started,
        "killed": killed_at,
        "restarted": restarted_at,
        "wrk": result["output"],
        "health": health.results,
        "page": page.results,
    }


def window(start: float, end: float, run: dict) -> str:
    """The window of an answer that arrived between `start` and `end`: one that may have arrived
    after the kill counts as during the outage, one that may have arrived before the restart too."""
    if end <= run["killed"]:
        return "before"
    return "after" if start >= run["restarted"] else "during"


def summarise(run: dict) -> list[dict]:
    counts = {}
    for second, status, n in re.findall(r"^COUNT (\d+) (\d+) (\d+)$", run["wrk"], re.M):
        # wrk's buckets are whole wall-clock seconds.
        key = (window(int(second), int(second) + 1, run), int(status))
        counts[key] = counts.get(key, 0) + int(n)
    rows = []
    for name in ("before", "during", "after"):
        answers = {status: n for (w, status), n in counts.items() if w == name}
        health = [r for r in run["health"] if window(r[0], r[0] + r[2] / 1000, run) == name]
        page = [r for r in run["page"] if window(r[0], r[0] + r[2] / 1000, run) == name]
        latencies = [r[2] for r in health]
        rows.append(
            {
                "window": name,
                "ok": sum(n for status, n in answers.items() if status < 400),
                "503": answers.get(503, 0),
                "other_errors": sum(n for status, n in answers.items() if status >= 400 and status != 503),
                "health_p50": statistics.median(latencies) if latencies else 0,
                "health_max": max(latencies) if latencies else 0,
                "health_states": _tally(r[1] for r in health),
                "page_states": _tally(r[1] for r in page),
                "page_max": max((r[2] for r in page), default=0),
            }
        )
    return rows


def _tally(values) -> str:
    tally = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    return " ".join(f"{key}×{n}" for key, n in sorted(tally.items(), key=lambda kv: str(kv[0])))


def recovery(run: dict) -> dict:
    after = run["restarted"]
    # When the first good answer arrived, among requests sent after the restart.
    healthy_at = next(
        (r[0] + r[2] / 1000 for r in run["health"] if r[0] >= after and r[1] == 200 and healthy(r[3])), None
    )
    page_at = next((r[0] + r[2] / 1000 for r in run["page"] if r[0] >= after and r[1] == 200), None)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", run["wrk"])
    last = run["health"][-1][3].decode(errors="replace") if run["health"] else ""
    return {
        "last healthz": " ".join(last.split())[:300],
        "healthz": healthy_at - after if healthy_at else None,
        "uncached page": page_at - after if page_at else None,
        "wrk socket errors": socket_errors.group(0) if socket_errors else "none",
    }


def main() -> int:
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            print(f"bench/faults.py needs `{tool}` (Debian: apt-get install {tool.replace('-server', '')}).")
            return 1
    wanted = [s for s in os.environ.get("BENCH_FAULT_SCENARIOS", "").split(",") if s]
    postgres = services.Postgres()
    redis = services.Redis()
    site = None
    try:
        postgres.start()
        postgres.create_database()
        redis.start()
        env = {
            **os.environ,
            **postgres.settings(),
            "REDIS_URL": redis.url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "STATIC_ROOT": tempfile.mkdtemp(prefix="newsroom-bench-static-"),
        }
        print(f"Filling a private database (port {postgres.port}) with {STORIES} stories…", flush=True)
        services.manage(CODE, env, "migrate", "--noinput")
        # The table is made only for a configured database cache; a scenario runs without Redis.
        services.manage(CODE, {**env, "REDIS_URL": ""}, "createcachetable")
        services.manage(CODE, env, "load_demo")
        services.manage(CODE, env, "generate_articles", str(STORIES), "--seed", "1")
        paths = services.manage(
            CODE,
            env,
            "shell",
            "-c",
            "from articles.models import Article\n"
            "for a in Article.objects.public().order_by('-publish_at')[:300]: print(a.get_absolute_url())",
        ).split()
        # Django's shell may announce its automatic imports first.
        paths = [path for path in paths if path.startswith("/")]
        section = services.manage(
            CODE, env, "shell", "-c", "from articles.models import Section; print(Section.objects.first().slug)"
        ).split()[-1]
        paths_file = Path(tempfile.mkstemp(prefix="newsroom-bench-paths-")[1])
        paths_file.write_text("\n".join(paths) + "\n")
        uncached = f"/section/{section}/"

        def restart_postgres():
            postgres.start()

        scenarios = [
            ("Redis killed (page cache on Redis)", {"REDIS_URL": redis.url}, redis.kill, redis.start),
            ("PostgreSQL killed (page cache on Redis)", {"REDIS_URL": redis.url}, postgres.kill, restart_postgres),
            ("PostgreSQL killed (page cache in PostgreSQL)", {"REDIS_URL": ""}, postgres.kill, restart_postgres),
        ]
        print(f"\nCode: {CODE}; {STORIES} generated stories; wrk -t2 -c8 over 300 story pages; outage {OUTAGE} s;")
        print("probes every 100 ms: /healthz and an uncached (signed-in) section page.\n", flush=True)
        for index, (name, overrides, kill, restart) in enumerate(scenarios, 1):
            if wanted and str(index) not in wanted:
                continue
            site = services.Gunicorn({**env, **overrides}, root=CODE)
            try:
                site.start()
                for path in paths:  # warm the page cache
                    urllib.request.urlopen(site.base + path).read()  # noqa: S310 (loopback)
                report(run_scenario(name, site, kill, restart, paths_file, uncached))
            except (OSError, RuntimeError) as error:
                print(f"== {name} ==\nnot measured: {error}\n{site.log_tail() if site.process else ''}\n")
                if not services.listening(postgres.port):
                    postgres.start()
            finally:
                site.stop()
                site = None
    finally:
        if site is not None:
            site.stop()
        redis.kill()
        postgres.remove()
    return 0


def report(run: dict) -> None:
    header = (
        f"{'window':<7} {'2xx/3xx':>8} {'503':>6} {'other':>6} {'healthz p50':>11} {'max ms':>8}  "
        f"{'healthz answers':<28} {'uncached page answers':<30} {'max ms':>7}"
    )
    print(f"== {run['name']} ==")
    print(header)
    for row in summarise(run):
        print(
            f"{row['window']:<7} {row['ok']:>8} {row['503']:>6} {row['other_errors']:>6} "
            f"{row['health_p50']:>11.1f} {row['health_max']:>8.1f}  {row['health_states']:<28} "
            f"{row['page_states']:<30} {row['page_max']:>7.0f}"
        )
    back = recovery(run)
    print(
        "recovery after the restart: healthz ok "
        + (f"{back['healthz']:.1f} s" if back["healthz"] is not None else "never")
        + ", uncached page 200 "
        + (f"{back['uncached page']:.1f} s" if back["uncached page"] is not None else "never")
        + f"; wrk {back['wrk socket errors']}"
    )
    print(f"last /healthz: {back['last healthz']}\n", flush=True)


if __name__ == "__main__":
    import sys

    sys.exit(main())
