"""What a live page's polling costs the server: CPU per poll of the entries feed.

Readers' live pages ask `/live/<id>/entries/` every LIVE_POLL_SECONDS with the ETag they hold.
Serves the demo's live page with gunicorn on loopback, drives each kind of request with `wrk`, and
reads the server's CPU time from /proc: CPU per request is what one more reader costs per poll.
Rows: a poll that finds nothing new (304 from the page cache), a first poll (200 from the cache),
the feed built from the database (a session cookie bypasses the cache), and the cached story page
for comparison; with a private Redis and with the PostgreSQL cache table (BENCH_CACHES).

Needs `wrk` and `redis-server`. Environment: DATABASE_URL and SECRET_KEY, as `make bench` sets them.
"""

import os
import shutil
import sys
import urllib.request
from pathlib import Path

try:
    from . import _services as services
except ImportError:  # loaded by bench/run.py as a plain file
    import importlib.util

    _spec = importlib.util.spec_from_file_location("bench_services", Path(__file__).with_name("_services.py"))
    services = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(services)

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CACHES = [c for c in os.environ.get("BENCH_CACHES", "redis,database").split(",") if c]
BYPASS = "Cookie: sessionid=bench-bypasses-the-page-cache"


def live_story(env) -> tuple[int, str]:
    code = (
        "from desk.models import LiveCoverage; c = LiveCoverage.objects.filter(ended_at__isnull=True).first(); "
        "print(c.article_id, c.article.get_absolute_url())"
    )
    pk, path = services.manage(services.ROOT, env, "shell", "-c", code).strip().splitlines()[-1].split(" ", 1)
    return int(pk), path


def run(env: dict, pk: int, story: str) -> list[tuple[str, dict]]:
    site = services.Gunicorn(env, workers=1)
    site.start()
    rows = []
    try:
        feed = f"{site.base}/live/{pk}/entries/"
        etag = urllib.request.urlopen(feed).headers["ETag"]  # noqa: S310 (loopback)
        for label, url, headers in [
            ("poll, nothing new (304)", feed, [f"If-None-Match: {etag}"]),
            ("poll, first (200 from cache)", feed, []),
            ("poll, built from the database", feed, [BYPASS]),
            ("story page, cached", site.base + story, []),
        ]:
            urllib.request.urlopen(url)  # noqa: S310 (loopback; warms the cache)
            cpu = site.cpu_seconds()
            result = services.wrk(url, seconds=DURATION, headers=headers)
            result["cpu_ms"] = (site.cpu_seconds() - cpu) * 1000 / max(result["requests"], 1)
            rows.append((label, result))
    finally:
        site.stop()
    return rows


def main() -> int:
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            print(f"bench/live.py needs `{tool}` (Debian: apt-get install {tool.replace('-server', '')}).")
            return 1
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    services.manage(services.ROOT, env, "load_demo")
    pk, story = live_story(env)
    for backend in CACHES:
        if backend == "redis":
            redis = services.Redis()
            redis.start()
            try:
                rows = run({**env, "REDIS_URL": redis.url}, pk, story)
            finally:
                redis.kill()
        else:
            rows = run({**env, "REDIS_URL": ""}, pk, story)
        name = "Redis" if backend == "redis" else "PostgreSQL table"
        print(f"\nlive page /live/{pk}/entries/; gunicorn 1 sync worker; wrk -t2 -c8 for {DURATION} s; cache: {name}")
        print(f"{'request':<32} {'req/s':>8} {'CPU ms/req':>11} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
        for label, r in rows:
            errors = r["non_2xx"] + r["socket_errors"]
            timing = f"{r['p50'] or 0:>7.2f} {r['p99'] or 0:>7.2f}"
            print(f"{label:<32} {r['rps']:>8.0f} {r['cpu_ms']:>11.3f} {timing} {errors:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
