"""Reader pages under load: cached and uncached, beside a static file of the same bytes.

Serves the site with gunicorn (2 sync workers) on loopback and drives it with `wrk -t2 -c8` (a 5 s
warm-up, then 20 s measured) from another process. Each page is measured anonymously (served by the
page cache's fast path) and with a session cookie (which bypasses the cache, so every request builds
the page); beside them the cached page's exact bytes as a static file served by the same server:
the ceiling the cached figures are read against. Server CPU per request is read from the gunicorn
processes in /proc, which a shared, noisy machine disturbs less than requests per second.

It runs twice: page cache on Redis (its own redis-server on a spare port) and in PostgreSQL.

Needs `wrk` (Debian: apt-get install wrk) and redis-server, and `manage.py generate_articles` for
the stories (BENCH_STORIES, default 100,000). Environment: DATABASE_URL and SECRET_KEY, as `make
bench` sets them; BENCH_DURATION (20), BENCH_WARMUP (5), BENCH_CACHES ("redis,database"),
BENCH_CODE (another checkout to serve, for before/after), BENCH_OWN_DATABASE=1 (a private
PostgreSQL cluster on a spare port instead of DATABASE_URL).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

try:
    from . import _services as services
except ImportError:  # loaded by bench/run.py as a plain file
    import importlib.util

    _spec = importlib.util.spec_from_file_location("bench_services", Path(__file__).with_name("_services.py"))
    services = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(services)

ROOT = Path(os.environ.get("BENCH_CODE", Path(__file__).resolve().parents[1])).resolve()
PYTHON = sys.executable
STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
CACHES = [c for c in os.environ.get("BENCH_CACHES", "redis,database").split(",") if c]
BYPASS = ["Cookie: sessionid=bench-bypasses-the-page-cache"]


def manage(*args, env=None, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, text=True, capture_output=True)


def public_count(env) -> int:
    code = "from articles.models import Article; print(Article.objects.public().count())"
    return int(manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1])


def newest_story_path(env) -> str:
    code = (
        "from articles.models import Article; "
        "print(Article.objects.public().order_by('-publish_at').first().get_absolute_url())"
    )
    return manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]


def ensure_data(env, stories: int = STORIES) -> int:
    """Migrate, load the demo and top the public stories up to `stories`; returns how many there are."""
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env={**env, "REDIS_URL": ""})
    manage("load_demo", env=env)
    have = public_count(env)
    if have < stories:
        print(f"Generating {stories - have} stories (the database has {have})…", flush=True)
        result = manage("generate_articles", str(stories - have), env=env, check=False)
        if result.returncode != 0:
            print(
                "  manage.py generate_articles is not available or failed; measuring with the stories there are.\n  "
                + (result.stderr.strip().splitlines() or [""])[-1]
            )
        have = public_count(env)
    return have


def measure(site: services.Gunicorn, path: str, headers=()) -> dict:
    urllib.request.urlopen(site.base + path)  # noqa: S310 (loopback; warms the cache)
    services.wrk(site.base + path, seconds=WARMUP, headers=headers)
    cpu = site.cpu_seconds()
    result = services.wrk(site.base + path, seconds=DURATION, headers=headers)
    result["cpu_ms"] = (site.cpu_seconds() - cpu) * 1000 / max(result["requests"], 1)
    return result


def run(env: dict, story: str, backend: str) -> list[tuple[str, dict]]:
    static_root = Path(tempfile.mkdtemp(prefix="newsroom-bench-static-"))
    env = {**env, "STATIC_ROOT": str(static_root)}
    env["STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    # First run: the cached pages' bytes, kept as static files for the second.
    site = services.Gunicorn(env, root=ROOT)
    site.start()
    try:
        for name, path in (("story", story), ("home", "/")):
            urllib.request.urlopen(site.base + path).read()  # noqa: S310 (loopback)
            (static_root / f"bench-{name}.html").write_bytes(urllib.request.urlopen(site.base + path).read())  # noqa: S310
    finally:
        site.stop()
    site = services.Gunicorn(env, root=ROOT)
    site.start()
    rows = []
    try:
        for label, path, headers in [
            ("story, cached", story, []),
            ("static file, same bytes as story", "/static/bench-story.html", []),
            ("story, uncached", story, BYPASS),
            ("home, cached", "/", []),
            ("static file, same bytes as home", "/static/bench-home.html", []),
            ("home, uncached", "/", BYPASS),
        ]:
            print(f"  {backend}: {label}…", flush=True)
            rows.append((label, measure(site, path, headers)))
    finally:
        site.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    return rows


def main() -> int:
    if os.environ.get("BENCH_OWN_DATABASE") == "1":
        # A private cluster, so the database cache is not measured against whatever else the
        # shared server is doing.
        postgres = services.Postgres()
        postgres.start()
        postgres.create_database()
        os.environ.update(postgres.settings())
        try:
            return measure_all()
        finally:
            postgres.remove()
    return measure_all()


def collect(stories: int = STORIES) -> tuple[int, str, dict[str, list[tuple[str, dict]]]]:
    """Measure every page with each page cache in CACHES over at least `stories` public stories:
    returns how many there are, the story page measured, and per cache its rows (label, figures)."""
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            raise RuntimeError(
                f"bench/pages.py needs `{tool}` (Debian: apt-get install {tool.replace('-server', '')})."
            )
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "REQUEST_LOG": "1"}
    stories = ensure_data(env, stories)
    story = newest_story_path(env)
    results = {}
    for backend in CACHES:
        if backend == "redis":
            redis = services.Redis()
            redis.start()
            try:
                results[backend] = run({**env, "REDIS_URL": redis.url}, story, "Redis")
            finally:
                redis.kill()
        else:
            results[backend] = run({**env, "REDIS_URL": ""}, story, "PostgreSQL")
    return stories, story, results


def measure_all() -> int:
    try:
        stories, _story, results = collect()
    except RuntimeError as error:
        print(error)
        return 1

    print(f"\nCode: {ROOT}; {stories} public stories; gunicorn 2 sync workers;")
    print(f"wrk -t2 -c8, {WARMUP} s warm-up then {DURATION} s")
    print("(server CPU per request read from the gunicorn processes; ratios are within one run)\n")
    for backend, rows in results.items():
        table = dict(rows)
        print(f"page cache: {'Redis' if backend == 'redis' else 'PostgreSQL table'}")
        print(f"{'page':<34} {'req/s':>8} {'CPU ms/req':>11} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
        for label, r in rows:
            errors = r["non_2xx"] + r["socket_errors"]
            print(
                f"{label:<34} {r['rps']:>8.0f} {r['cpu_ms']:>11.3f} "
                f"{r['p50'] or 0:>7.2f} {r['p99'] or 0:>7.2f} {errors:>7}"
            )
        for page in ("story", "home"):
            cached, static = table[f"{page}, cached"], table[f"static file, same bytes as {page}"]
            print(
                f"{page}: cached ÷ static = {cached['rps'] / static['rps']:.2f} by req/s, "
                f"{static['cpu_ms'] / cached['cpu_ms']:.2f} by server CPU per request"
            )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
