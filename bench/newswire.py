"""The newswire under load: API items per second, and publish → webhook latency.

With BENCH_STORIES (100,000) published stories, each with its first delivered version:
- one subscriber polling the whole feed with `items?since=` (200 a page), items per second;
- `wrk` on one page of 200 items and on one single item (requests and items per second, p50/p99);
- 200 publishes, one after another, each timed from the moment the editor's move starts to the
  moment a local webhook receiver has checked its signature, with the job worker running.

Serves the API with gunicorn on loopback and runs `manage.py procrastinate worker` beside it.
Needs `wrk`. Environment: DATABASE_URL and SECRET_KEY, as `make bench` sets them.
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "200"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def manage(*args, env) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    ).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_stories(env) -> None:
    from articles.models import Article

    manage("load_demo", env=env)
    have = Article.objects.public().count()
    if have < STORIES:
        print(f"Generating {STORIES - have} stories…", flush=True)
        manage("generate_articles", str(STORIES - have), "--no-progress", env=env)
    started = time.monotonic()
    print("  " + manage("issue_versions", env=env).strip(), f"({time.monotonic() - started:.0f} s)", flush=True)


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer at {url}")


def walk_feed(base: str, key: str) -> tuple[int, float]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per page

    seen, since, started = 0, None, time.monotonic()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        while True:
            page = client.get("/api/v1/items", params={"limit": 200, **({"since": since} if since else {})}).json()
            seen += len(page["items"])
            since = page["next"]
            if not page["more"]:
                return seen, time.monotonic() - started


def wrk(url: str, key: str) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    from _services import wrk as run_wrk

    seconds = int(DURATION.rstrip("s"))
    return run_wrk(url, seconds=seconds, connections=int(CONNECTIONS), headers=[f"Authorization: Bearer {key}"])


def publish_latency(receiver, editor, section) -> list[float]:
    from articles import workflow
    from articles.models import Article, Status
    from newswire.ninjs import item_uri

    latencies = []
    for number in range(PUBLISHES):
        article = Article.objects.create(
            headline_ar=f"خبر قياس رقم {number}",
            body_ar="<p>نص قصير لقياس زمن الإرسال.</p>",
            slug=f"bench-push-{time.time_ns()}",
            section=section,
            status=Status.APPROVED,
        )
        uri = item_uri(article.pk, "ar")
        arrived = threading.Event()
        receiver.waiting = (uri, arrived)
        started = time.time()
        workflow.transition(article, "publish", editor)
        if not arrived.wait(30):
            print(f"  push {number} did not arrive within 30 s")
            continue
        latencies.append((receiver.arrival[uri] - started) * 1000)
    return latencies


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench/newswire.py needs `wrk` (Debian: apt-get install wrk).")
        return 1
    from django.contrib.auth import get_user_model

    from articles.models import Section
    from newswire import keys
    from newswire.models import Product, Subscriber
    from newswire.receiver_example import Handler, Receiver

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base,
        "NEWSWIRE_RATE_LIMIT": "100000000",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    os.environ["NEWSWIRE_RATE_LIMIT"] = env["NEWSWIRE_RATE_LIMIT"]
    ensure_stories(env)

    class Timed(Handler):
        def do_POST(self):
            super().do_POST()
            waiting = getattr(self.server, "waiting", None)
            if waiting and self.server.received and self.server.received[-1]["uri"] == waiting[0]:
                self.server.arrival[waiting[0]] = self.server.received[-1]["received_at"]
                waiting[1].set()

    everything, _ = Product.objects.get_or_create(name="bench: everything", defaults={"languages": "ar,en"})
    outlet, _ = Subscriber.objects.get_or_create(
        name="bench outlet", defaults={"webhook_secret": keys.new_webhook_secret()}
    )
    outlet.products.set([everything])
    receiver = Receiver(("127.0.0.1", 0), outlet.webhook_secret, quiet=True)
    receiver.RequestHandlerClass = Timed
    receiver.arrival = {}
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    # Pushes go only to the bench receiver while measuring the API; the outlet gets its webhook after.
    Subscriber.objects.filter(pk=outlet.pk).update(webhook_url="")
    key = keys.make_key(outlet, "bench")[1]

    gunicorn = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", WORKERS]
    web = subprocess.Popen(
        [*gunicorn, "--no-control-socket", "--log-level", "warning"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "procrastinate", "worker", "--concurrency", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base + "/healthz", web)
        items, seconds = walk_feed(base, key)
        from newswire.models import ItemVersion

        middle = ItemVersion.objects.filter(sequence__isnull=False).order_by("sequence")[items // 2].sequence
        from newswire.api import encode_cursor

        story = ItemVersion.objects.filter(sequence__isnull=False).order_by("-sequence")[100].article_id
        page = wrk(f"{base}/api/v1/items?since={encode_cursor(middle)}&limit=200", key)
        single = wrk(f"{base}/api/v1/items/{story}", key)

        Subscriber.objects.filter(pk=outlet.pk).update(webhook_url=f"http://127.0.0.1:{receiver.server_address[1]}/")
        editor = get_user_model().objects.get(username="editor")
        section = Section.objects.get(slug="syria")
        latencies = publish_latency(receiver, editor, section)
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait()
        receiver.shutdown()
        Subscriber.objects.filter(pk=outlet.pk).update(webhook_url="")

    print(f"\n{items} items in the feed; gunicorn {WORKERS} sync workers; wrk {CONNECTIONS} connections, {DURATION}\n")
    print(f"{'what':<44} {'req/s':>8} {'items/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'one poller walking items?since= (200/page)':<44} {'':>8} {items / seconds:>9.0f} {'':>8} {'':>8}")
    for label, result, per in (("items?since= page of 200", page, 200), ("single item /items/<id>", single, 1)):
        print(
            f"{label:<44} {result['rps']:>8.0f} {result['rps'] * per:>9.0f} "
            f"{result['p50'] or 0:>8.2f} {result['p99'] or 0:>8.2f}"
        )
    if latencies:
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
        print(
            f"\npublish → webhook received, {len(latencies)} publishes with the worker running: "
            f"p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms, max {max(latencies):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
