"""Reader pages under load: requests per second and p50/p99 latency, cached and uncached.

Serves the site with gunicorn on loopback and drives it with `wrk` from another process. The
home page and a story page are measured twice: anonymously (served from the shared page cache)
and with a session cookie (which bypasses the cache, so every request builds the page). Beside
them, the cached home page's exact bytes served as a static file by the same server: the ceiling
the cached figures are read against.

Needs `wrk` (Debian: apt-get install wrk) and `manage.py generate_articles` for the 100,000
stories (BENCH_STORIES to change the number). Environment: DATABASE_URL and SECRET_KEY, as
`make bench` sets them.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def manage(*args, env=None, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, text=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def public_count(env) -> int:
    code = "from articles.models import Article; print(Article.objects.public().count())"
    return int(manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1])


def newest_story_path(env) -> str:
    code = (
        "from articles.models import Article; "
        "print(Article.objects.public().order_by('-publish_at').first().get_absolute_url())"
    )
    return manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]


def ensure_data(env) -> int:
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_demo", env=env)
    have = public_count(env)
    if have < STORIES:
        print(f"Generating {STORIES - have} stories (the database has {have})…", flush=True)
        result = manage("generate_articles", str(STORIES - have), env=env, check=False)
        if result.returncode != 0:
            print(
                "  manage.py generate_articles is not available or failed; measuring with the stories there are.\n  "
                + (result.stderr.strip().splitlines() or [""])[-1]
            )
        have = public_count(env)
    return have


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited: " + process.stderr.read().decode())
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer at {url}")


LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: list[str]) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    latencies = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench/pages.py needs the load generator `wrk`, which is not installed (Debian: apt-get install wrk).")
        return 1
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    stories = ensure_data(env)
    story = newest_story_path(env)

    static_root = Path(tempfile.mkdtemp(prefix="newsroom-bench-static-"))
    env["STATIC_ROOT"] = str(static_root)
    env["STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["SITE_URL"] = base
    gunicorn = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--workers", WORKERS, "--no-control-socket", "--log-level", "warning"]

    def serve():
        process = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stderr=subprocess.PIPE)
        wait_until_up(base + "/healthz", process)
        return process

    # First run: fetch the cached home page's bytes and keep them as a static file.
    process = serve()
    try:
        home_bytes = urllib.request.urlopen(base + "/").read()  # noqa: S310 (loopback)
    finally:
        process.terminate()
        process.wait()
    (static_root / "bench-home.html").write_bytes(home_bytes)

    process = serve()
    rows = []
    try:
        bypass = ["Cookie: sessionid=bench-bypasses-the-page-cache"]
        for label, path, headers in [
            ("home, cached", "/", []),
            ("home, uncached", "/", bypass),
            ("story, cached", story, []),
            ("story, uncached", story, bypass),
            ("static file, same bytes as home", "/static/bench-home.html", []),
        ]:
            urllib.request.urlopen(base + path)  # noqa: S310 (warm the cache)
            rows.append((label, wrk(base + path, headers)))
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(static_root, ignore_errors=True)

    static_rps = rows[-1][1]["rps"]
    backend = "Redis" if os.environ.get("REDIS_URL") else "PostgreSQL table"
    print(
        f"\n{stories} public stories; home page {len(home_bytes)} bytes; gunicorn {WORKERS} sync workers; "
        f"wrk {CONNECTIONS} connections for {DURATION}; page cache: {backend}\n"
    )
    print(f"{'page':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'of static':>10} {'errors':>7}")
    for label, r in rows:
        print(
            f"{label:<34} {r['rps']:>9.0f} {r['p50'] or 0:>8.2f} {r['p99'] or 0:>8.2f} "
            f"{r['rps'] / static_rps:>9.0%} {r['errors']:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
