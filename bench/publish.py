"""Publishing under load: how long until a story just published is visible, with the cache on.

Starts its own PostgreSQL cluster and redis-server (as bench/faults.py does), serves the site with
gunicorn (2 sync workers, page cache on Redis) and runs wrk over 300 story pages for 60 s while a
separate process publishes a new story every second through `workflow.transition()`. For each
story, from the moment its publish committed, watchers poll (every 20 ms, anonymously, so through
the page cache, each page in its own thread) its story page, the home page, its section page and
the latest-stories feed until the story is there. Prints wrk's answers by status and the publish →
visible times per page.

    make bench ARGS=publish

Environment: BENCH_CODE (another checkout to serve), BENCH_PUBLISH_SECONDS (60),
BENCH_FAULT_STORIES (2000).
"""

import json
import os
import re
import statistics
import subprocess
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
SECONDS = int(os.environ.get("BENCH_PUBLISH_SECONDS", "60"))
STORIES = int(os.environ.get("BENCH_FAULT_STORIES", "2000"))
LUA = Path(__file__).with_name("_count_statuses.lua")
GIVE_UP = 10.0

PUBLISHER = """
import json, os, time
from django.contrib.auth import get_user_model
from articles import workflow
from articles.arabic import slugify
from articles.models import Article, Section

editor = get_user_model().objects.get(username="editor")
section = Section.objects.get(slug=os.environ["BENCH_SECTION"])
for i in range(int(os.environ["BENCH_PUBLISHES"])):
    tick = time.time()
    headline = f"خبر نشر تحت الضغط رقم {i}"
    story = Article.objects.create(
        headline_ar=headline, body_ar="<p>نص الخبر.</p>", slug=slugify(headline), section=section, created_by=editor
    )
    workflow.transition(story, "submit", editor)
    workflow.transition(story, "publish", editor)
    print(json.dumps({"id": story.pk, "url": story.get_absolute_url(), "committed": time.time()}), flush=True)
    time.sleep(max(0.0, 1.0 - (time.time() - tick)))
"""


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def watch(base: str, story: dict, section: str, times: dict, lock: threading.Lock) -> None:
    """Poll each page in its own thread until the story is there; record the seconds it took."""
    marker = f"/{story['id']}/".encode()
    pages = {
        "story page": (story["url"], lambda status, body: status == 200),
        "home": ("/", lambda status, body: marker in body),
        "section page": (f"/section/{section}/", lambda status, body: marker in body),
        "feed": ("/feeds/latest/", lambda status, body: marker in body),
    }

    def poll(name, path, visible):
        seen = None
        while time.time() - story["committed"] < GIVE_UP:
            if visible(*fetch(base + path)):
                seen = time.time() - story["committed"]
                break
            time.sleep(0.02)
        with lock:
            times.setdefault(name, []).append(seen)

    pollers = [threading.Thread(target=poll, args=(name, *page)) for name, page in pages.items()]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()


PAGES = ("story page", "home", "section page", "feed")


def measure(stories: int = STORIES, seconds: int = SECONDS) -> dict:
    """Publish a story a second for `seconds` under load over `stories` stories; returns the
    publish → visible seconds per page (None: never within GIVE_UP), wrk's answers by status,
    its socket error line and how many stories were published."""
    postgres, redis, site = services.Postgres(), services.Redis(), None
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
        }
        print(f"Filling a private database with {stories} stories…", flush=True)
        services.manage(CODE, env, "migrate", "--noinput")
        # The table is made only for a configured database cache; a scenario runs without Redis.
        services.manage(CODE, {**env, "REDIS_URL": ""}, "createcachetable")
        services.manage(CODE, env, "load_demo")
        services.manage(CODE, env, "generate_articles", str(stories), "--seed", "1")
        listing = (
            "from articles.models import Article\nfor a in Article.objects.public()[:300]: print(a.get_absolute_url())"
        )
        # Django's shell may announce its automatic imports first.
        paths = [path for path in services.manage(CODE, env, "shell", "-c", listing).split() if path.startswith("/")]
        section = paths[0].strip("/").split("/")[0]
        paths_file = postgres.media / "bench-paths.txt"  # goes with the cluster's folders
        paths_file.write_text("\n".join(paths) + "\n")

        site = services.Gunicorn(env, root=CODE)
        site.start()
        for path in paths:
            fetch(site.base + path)
        command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "3s", "-s", str(LUA), site.base]
        load = subprocess.Popen(command, env={**env, "BENCH_PATHS": str(paths_file)}, stdout=subprocess.PIPE, text=True)
        publisher = subprocess.Popen(
            [services.PYTHON, "manage.py", "shell", "-c", PUBLISHER],
            cwd=CODE,
            env={**env, "BENCH_SECTION": section, "BENCH_PUBLISHES": str(seconds - 5)},
            stdout=subprocess.PIPE,
            text=True,
        )
        times, lock, watchers = {}, threading.Lock(), []
        for line in publisher.stdout:
            if line.startswith("{"):
                watcher = threading.Thread(target=watch, args=(site.base, json.loads(line), section, times, lock))
                watcher.start()
                watchers.append(watcher)
        publisher.wait()
        for watcher in watchers:
            watcher.join()
        output = load.communicate()[0]
    finally:
        if site is not None:
            site.stop()
        redis.kill()
        postgres.remove()

    statuses = {}
    for _second, status, n in re.findall(r"^COUNT (\d+) (\d+) (\d+)$", output, re.M):
        statuses[int(status)] = statuses.get(int(status), 0) + int(n)
    socket_errors = re.search(r"Socket errors: .*", output)
    return {
        "times": times,
        "statuses": statuses,
        "socket_errors": socket_errors.group(0) if socket_errors else "no socket errors",
        "published": len(watchers),
    }


def main() -> int:
    result = measure()
    times, statuses = result["times"], result["statuses"]
    print(
        f"\nCode: {CODE}; wrk -t2 -c8 for {SECONDS} s over 300 story pages (page cache on Redis); "
        f"{result['published']} stories published, one a second."
    )
    print(
        "wrk answers by status: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        + f"; {result['socket_errors']}"
    )
    print(f"\n{'publish → visible':<18} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'never':>6}")
    for name in PAGES:
        seen = sorted(t for t in times.get(name, []) if t is not None)
        never = sum(1 for t in times.get(name, []) if t is None)
        if seen:
            p95 = seen[min(len(seen) - 1, int(len(seen) * 0.95))]
            print(f"{name:<18} {statistics.median(seen):>7.3f} {p95:>7.3f} {seen[-1]:>7.3f} {never:>6}")
        else:
            print(f"{name:<18} {'-':>7} {'-':>7} {'-':>7} {never:>6}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
