"""What the admin's pages cost the server, at the database's size: the story list, its search, each
of its filters, a story's change page and the dashboard, signed in as a chief editor and as a
journalist.

In process, with Django's test client (no browser, no network, no gunicorn): each page is
requested BENCH_ADMIN_RUNS times (7) after one warm-up. The table gives, per page, the median of
- wall: the request's time in this process, the database's answers included;
- cpu: this process's CPU time (django) plus that of the PostgreSQL backend serving it (db, read
  from /proc/<pid>/schedstat), which a machine shared with other work disturbs far less than wall
  time;
- the number of queries, and the three slowest of them (median time over the runs).
The backend runs with max_parallel_workers_per_gather = 0, so that all the database's work is in
the one process whose CPU is read.

Tops the database up to BENCH_STORIES published stories (100,000) with `generate_articles` first
(BENCH_STORIES=0 measures what is there). Needs the demo's staff (`load_demo`, run here).
BENCH_ADMIN_PAGES=list,search… limits the run to pages whose label starts with one of those words.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
RUNS = int(os.environ.get("BENCH_ADMIN_RUNS", "7"))
ONLY = [word for word in os.environ.get("BENCH_ADMIN_PAGES", "").split(",") if word]


def backend_cpu_seconds(pid: int) -> float:
    """The CPU time a process has had, in nanoseconds in /proc/<pid>/schedstat (/proc/<pid>/stat
    counts in 10 ms ticks, too coarse for one request). Read while the process waits."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def signed_in(username: str):
    """A test client signed in as the demo's `username`, past the second factor where it applies."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def pages() -> list[tuple[str, str, str]]:
    """(label, who, url) for every page measured."""
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Byline, Section, Status, Tag

    story_list = reverse("admin:articles_article_changelist")
    # The story the bench opens: the newest generated one with two bylines (the most any has).
    story = (
        Article.objects.filter(status=Status.PUBLISHED, bylines__position=1).order_by("-publish_at", "-pk").first()
        or Article.objects.order_by("-pk").first()
    )
    change = reverse("admin:articles_article_change", args=[story.pk])
    section = Section.objects.order_by("position").first()
    author = Byline.objects.filter(author__username__startswith="bench-writer-").values("author").first()
    tag = Tag.objects.filter(name="دمشق").first() or Tag.objects.first()
    today = timezone.localdate()
    newest = Article.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() or timezone.now()
    newest = timezone.localtime(newest)

    def listed(**params) -> str:
        return f"{story_list}?{urlencode(params)}"

    rows = [
        ("list", "chief", story_list),
        ("list", "journalist", story_list),
        ("search دمشق", "chief", listed(q="دمشق")),
        ("search دمشق", "journalist", listed(q="دمشق")),
        ("filter queue=review", "chief", listed(queue="review")),
        ("filter queue=recent", "chief", listed(queue="recent")),
        ("filter queue=mine", "journalist", listed(queue="mine")),
        ("filter status=published", "chief", listed(status__exact="published")),
        ("filter status=draft", "chief", listed(status__exact="draft")),
        ("filter section", "chief", listed(section__id__exact=section.pk)),
        ("filter author", "chief", listed(author=author["author"] if author else "")),
        ("filter tag", "chief", listed(tag=tag.slug)),
        ("filter urgency=3", "chief", listed(urgency__exact=3)),
        ("filter featured", "chief", listed(is_featured__exact=1)),
        (
            "filter publish_at 7 days",
            "chief",
            listed(publish_at__gte=str(today - timedelta(days=7)), publish_at__lt=str(today + timedelta(days=1))),
        ),
        ("date bar year", "chief", listed(updated_at__year=newest.year)),
        ("date bar month", "chief", listed(updated_at__year=newest.year, updated_at__month=newest.month)),
        ("search+filter", "chief", listed(q="دمشق", section__id__exact=section.pk)),
        ("list with counts", "chief", listed(_facets="True")),
        ("change page", "chief", change),
        ("change page", "journalist", change),
        ("dashboard", "chief", reverse("admin:index")),
        ("dashboard", "journalist", reverse("admin:index")),
    ]
    return [row for row in rows if not ONLY or any(row[0].startswith(word) for word in ONLY)]


def measure(client, url: str, backend_pid: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        response.content  # noqa: B018 — a streaming or lazy body is rendered here

    request()  # warm-up
    walls, apps, databases, cpus = [], [], [], []
    for _ in range(RUNS):
        wall, own, theirs = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend_pid)
        request()
        apps.append((time.process_time() - own) * 1000)
        databases.append((backend_cpu_seconds(backend_pid) - theirs) * 1000)
        cpus.append(apps[-1] + databases[-1])
        walls.append((time.perf_counter() - wall) * 1000)
    # The queries, apart from the timed runs (recording them costs a little).
    per_query: dict[int, list[float]] = {}
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            request()
        for index, query in enumerate(captured.captured_queries):
            per_query.setdefault(index, []).append(float(query["time"]) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        if cursor.fetchone()[0] != backend_pid:
            raise RuntimeError("the requests ran on another database connection than the one measured")
    sqls = [query["sql"] for query in captured.captured_queries]
    slowest = sorted(((statistics.median(times), sqls[i]) for i, times in per_query.items()), reverse=True)[:3]
    return {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "app": statistics.median(apps),
        "db": statistics.median(databases),
        "queries": len(sqls),
        "slowest": slowest,
    }


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from articles.models import Article

    call_command("load_demo", verbosity=0)
    have = Article.objects.count()
    if have < STORIES:
        print(f"Generating {STORIES - have} stories (the database has {have})…", flush=True)
        call_command("generate_articles", STORIES - have, "--no-progress")
        have = Article.objects.count()

    # Static files' addresses without a collected manifest, as the tests have them.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(STORAGES=storages):
        return run(have)


def run(have: int) -> int:
    from django.db import connection

    clients = {who: signed_in(who) for who in ("chief", "journalist")}
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    # The test client keeps this one connection for every request (it never closes it).
    rows = []
    for label, who, url in pages():
        print(f"  {label} ({who})…", file=sys.stderr, flush=True)
        rows.append((label, who, measure(clients[who], url, backend)))

    print(f"\n{have} stories; {RUNS} runs per page after a warm-up; median times in ms\n")
    print(f"{'page':<28} {'as':<11} {'cpu':>7} {'django':>7} {'db':>7} {'wall':>7} {'queries':>8}")
    for label, who, r in rows:
        times = f"{r['cpu']:>7.1f} {r['app']:>7.1f} {r['db']:>7.1f} {r['wall']:>7.1f}"
        print(f"{label:<28} {who:<11} {times} {r['queries']:>8}")
    print("\nThe three slowest queries of each page (median ms over 3 runs):")
    for label, who, result in rows:
        print(f"- {label} ({who})")
        for took, sql in result["slowest"]:
            print(f"    {took:7.1f}  {' '.join(sql.split())[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
