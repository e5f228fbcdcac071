"""What a live page's polling costs the server: CPU per poll of the entries feed.

Readers' live pages ask `/live/<id>/entries/` every LIVE_POLL_SECONDS with the ETag they hold.
Serves the demo (its live page) with one gunicorn worker on loopback, drives each kind of request
with `wrk`, and reads the worker's CPU time from /proc before and after: CPU per request is what
one more reader costs per poll. Rows: a poll that finds nothing new (304 from the page cache), a
first poll (200 from the cache), the feed built from the database (a session cookie bypasses the
cache), and the cached story page for comparison.

Needs `wrk` (Debian: apt-get install wrk). Environment: DATABASE_URL and SECRET_KEY, as `make bench`
sets them; REDIS_URL to measure with Redis instead of the PostgreSQL cache table.
"""

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import PYTHON, ROOT, free_port, manage, wait_until_up, wrk

DURATION = os.environ.get("BENCH_DURATION", "10s")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def live_story(env) -> tuple[int, str]:
    code = (
        "from desk.models import LiveCoverage; c = LiveCoverage.objects.filter(ended_at__isnull=True).first(); "
        "print(c.article_id, c.article.get_absolute_url())"
    )
    pk, path = manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1].split(" ", 1)
    return int(pk), path


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench/live.py needs the load generator `wrk` (Debian: apt-get install wrk).")
        return 1
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    manage("load_demo", env=env)
    pk, story = live_story(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["SITE_URL"] = base
    command = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--no-control-socket", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    rows = []
    try:
        wait_until_up(base + "/healthz", process)
        worker = worker_pid(process.pid)
        feed = f"{base}/live/{pk}/entries/"
        etag = urllib.request.urlopen(feed).headers["ETag"]  # noqa: S310 (loopback)
        urllib.request.urlopen(base + story)  # noqa: S310 (warm the cache)
        bypass = "Cookie: sessionid=bench-bypasses-the-page-cache"
        for label, url, headers in [
            ("poll, nothing new (304)", feed, [f"If-None-Match: {etag}"]),
            ("poll, first (200 from cache)", feed, []),
            ("poll, built from the database", feed, [bypass]),
            ("story page, cached", base + story, []),
        ]:
            before = cpu_seconds(worker)
            result = wrk(url, headers)
            used = cpu_seconds(worker) - before
            requests = result["rps"] * float(DURATION.rstrip("s"))
            rows.append((label, result, used / requests * 1000 if requests else 0))
    finally:
        process.terminate()
        process.wait()
    backend = "Redis" if os.environ.get("REDIS_URL") else "PostgreSQL table"
    print(f"\nlive page /live/{pk}/entries/; gunicorn 1 sync worker; wrk for {DURATION}; page cache: {backend}\n")
    print(f"{'request':<32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'errors':>7}")
    for label, r, cpu in rows:
        print(f"{label:<32} {r['rps']:>8.0f} {r['p50'] or 0:>8.2f} {r['p99'] or 0:>8.2f} {cpu:>11.3f} {r['errors']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
