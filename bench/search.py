"""Search latency at 100,000 stories, per class of query: twenty typical Arabic queries, ten with
one slip of the finger (which the page corrects, «هل تقصد …؟»), the reader's filters (section,
dates, newest first, a later page) and the admin's story search (every state); then how the first
pages compare with ranking every match, and the index sizes.

Tops the database up to BENCH_SEARCH_STORIES public stories (100,000 unless set) with
`manage.py generate_articles` first. Each query runs as its page runs it: the count, one page of
results (and on the reader's page their highlighted snippets). Two figures per run: wall time,
and CPU time, that of this process plus that of its PostgreSQL backend (read from /proc, so other
work on the machine does not inflate it). The bench measures; it never fails on a time.
"""

import gc
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# BENCH_SEARCH_STORIES=10000 measures a smaller database (the bench only ever adds stories).
STORIES = int(os.environ.get("BENCH_SEARCH_STORIES") or os.environ.get("BENCH_STORIES") or "100000")
REPEATS = int(os.environ.get("BENCH_SEARCH_REPEATS", "5"))
QUERIES = [
    "دمشق",
    "الانسحاب الروسي",
    "حميميم",
    "بطرطوس",
    "سعر صرف الليرة",
    "المفاوضات",
    "وقف إطلاق النار",
    "عودة اللاجئين",
    "الأمم المتحدة",
    "القمة العربية",
    "محصول القمح",
    "المنتخب الوطني",
    '"إعادة الإعمار"',
    "حلب OR حمص",
    "الكهرباء -دمشق",
    "المسؤولين السوريين",
    "معرض الكتاب",
    "التضخم",
    "الانتخابات البرلمانية",
    "الهلال الأحمر",
]
# One letter dropped, added, replaced or swapped: they find nothing as typed, so the page reads
# the lexicon and searches the corrected words too.
SLIPS = [
    "الانسحب",
    "مفاوضاتت",
    "حميمبم",
    "الكهرباا",
    "الاتخابات",
    "اللاجءين",
    "المنتخب الوطتي",
    "التضحم",
    "الزلزلا",
    "البرلمانيه الانتخابت",
]
# (label, query, page, filters): what readers add to a query on the search page. Dates are days
# before today.
FILTERED = [
    ("section", "دمشق", 1, {"section": "politics"}),
    ("section", "الأمم المتحدة", 1, {"section": "world"}),
    ("last 30 days", "دمشق", 1, {"date_from": 30}),
    ("last 30 days", "حلب OR حمص", 1, {"date_from": 30}),
    ("a year ago", "المفاوضات", 1, {"date_from": 400, "date_to": 365}),
    ("newest", "دمشق", 1, {"order": "newest"}),
    ("newest", "التضخم", 1, {"order": "newest"}),
    ("page 5", "دمشق", 5, {}),
    ("page 5", "الهلال الأحمر", 5, {}),
    ("section, newest", "سعر صرف الليرة", 1, {"section": "economy", "order": "newest"}),
]
ADMIN_PAGE_SIZE = 50  # ArticleAdmin.list_per_page


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _backend_cpu_ns(pid: int) -> int:
    """CPU time the PostgreSQL backend has used, from the scheduler's own count (nanoseconds)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0  # a database on another machine: only this process's CPU is counted


def top_up(stories: int = STORIES) -> int:
    """Tops the public stories up to `stories` with generate_articles; returns how many there are."""
    from django.core.management import call_command

    from articles.models import Article

    have = Article.objects.public().count()
    if have < stories:
        print(f"Generating {stories - have} stories (the database has {have})…", flush=True)
        call_command("generate_articles", stories - have, "--no-progress")
        have = Article.objects.public().count()
    return have


def like_a_web_worker() -> None:
    """Freeze what this process holds so far, as newsroom/wsgi.py does in every web worker once
    Django is set up: otherwise this process's full collections walk start-up's objects and add
    20-30 ms pauses that a worker serving the same search does not have."""
    gc.collect()
    gc.freeze()


def measure(queries: list[str]) -> tuple[list, list[float]]:
    """For bench/summary.py: each query as the search page runs it (the exact search, and the
    corrected one when it finds nothing), once to warm up then REPEATS times: per query (query,
    matches, median wall ms, correction), and every timing in ms."""
    from articles import search

    like_a_web_worker()

    def run(query: str) -> tuple[int, str]:
        found = search.find(query, "ar", 1, 20)
        return found.page.paginator.count, found.suggestion or ""

    rows, timings = [], []
    for query in queries:
        matches, suggestion = run(query)
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            run(query)
            times.append((time.perf_counter() - started) * 1000)
        timings.extend(times)
        rows.append((query, matches, statistics.median(times), suggestion))
    return rows, timings


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles import search
    from articles.models import Article, Section

    have = Article.objects.public().count()
    if have < STORIES:
        print(f"Generating {STORIES - have} stories (the database has {have})…", flush=True)
        call_command("generate_articles", STORIES - have, "--no-progress")
        have = Article.objects.public().count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    local = _backend_cpu_ns(backend) > 0
    sections = {section.slug: section for section in Section.objects.all()}
    today = timezone.localdate()

    def reader(query: str, page: int = 1, **filters) -> tuple[int, str]:
        # What the search page does: the exact search, the corrected one when it finds nothing.
        for name in ("date_from", "date_to"):
            if name in filters:
                filters[name] = today - timedelta(days=filters[name])
        if "section" in filters:
            filters["section"] = sections[filters["section"]]
        found = search.find(query, "ar", page, 20, **filters)
        return found.page.paginator.count, found.suggestion or ""

    def admin(query: str) -> tuple[int, str]:
        # The engine's part of the admin's story search: every state, best match first, a count
        # and the first page of the list.
        from django.core.paginator import Paginator

        page = Paginator(search.with_search(Article.objects.all(), query), ADMIN_PAGE_SIZE).page(1)
        list(page.object_list)
        return page.paginator.count, ""

    def measure(runs: list[tuple[str, object]]) -> tuple[list, list[float], list[float]]:
        rows, walls, cpus = [], [], []
        for label, run in runs:
            matches, suggestion = run()  # warm the caches, as a live site's would be
            times, cpu = [], []
            for _ in range(REPEATS):
                cpu_before, backend_before = time.process_time_ns(), _backend_cpu_ns(backend)
                started = time.perf_counter()
                run()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time_ns() - cpu_before + _backend_cpu_ns(backend) - backend_before) / 1e6)
            walls.extend(times)
            cpus.extend(cpu)
            rows.append((label, matches, statistics.median(times), statistics.median(cpu), suggestion))
        return rows, walls, cpus

    classes = [
        ("typical queries", [(q, lambda q=q: reader(q)) for q in QUERIES]),
        ("one slip each", [(q, lambda q=q: reader(q)) for q in SLIPS]),
        (
            "with filters",
            [(f"{q} [{label}]", lambda q=q, p=p, f=f: reader(q, p, **dict(f))) for label, q, p, f in FILTERED],
        ),
        ("admin, every state", [(q, lambda q=q: admin(q)) for q in QUERIES]),
    ]
    like_a_web_worker()
    results = [(title, *measure(runs)) for title, runs in classes]

    agreement = _against_every_match(search, Article)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('article_search_idx'), "
            "(SELECT sum(pg_column_size(search_document)) FROM articles_article), "
            "pg_total_relation_size('articles_searchterm'), (SELECT count(*) FROM articles_searchterm)"
        )
        index_bytes, documents_bytes, lexicon_bytes, lexicon_words = cursor.fetchone()

    cpu_note = "this process + its PostgreSQL backend" if local else "this process only (remote database)"
    print(f"{have} public stories; each query run {REPEATS} times after one warm-up; CPU: {cpu_note}")
    width = max(len(label) for _, runs in classes for label, _ in runs)
    for title, rows, _walls, _cpus in results:
        print(f"{title:<{width}}  {'matches':>8}  {'wall ms':>8}  {'CPU ms':>7}  corrected to")
        for label, matches, wall, cpu, suggestion in rows:
            print(f"{label:<{width}}  {matches:>8}  {wall:>8.1f}  {cpu:>7.1f}  {suggestion}")
        print()
    print(f"{'class':<20}  {'wall p50':>8}  {'p95':>6}  {'max':>6}  {'CPU p50':>8}  {'p95':>6}  {'max':>6}  (ms)")
    every_wall, every_cpu = [], []
    for title, _rows, walls, cpus in results:
        every_wall += walls
        every_cpu += cpus
        print(_summary(title, walls, cpus))
    print(_summary("all", every_wall, every_cpu))
    print()
    same, overlap = agreement
    print(f"First pages against ranking every match (typical queries): {same} of {len(QUERIES)} identical;")
    print(f"the first ten share {overlap:.1f} stories of ten on average.")
    print()
    print(f"{'GIN index size':<24}{index_bytes / 2**20:>10.1f} MiB")
    print(f"{'stored documents':<24}{(documents_bytes or 0) / 2**20:>10.1f} MiB")
    print(f"{'lexicon':<24}{lexicon_bytes / 2**20:>10.1f} MiB ({lexicon_words} words)")


def _against_every_match(search, Article) -> tuple[int, float]:
    """How the page's first twenty compare with ranking every match of the query (what the engine
    did before it ranked a bounded set): identical pages, and the mean overlap of the first ten."""
    from django.utils import timezone

    same, overlap = 0, 0
    for text in QUERIES:
        now, query = timezone.now(), search.search_query(text)
        every = Article.objects.public(now=now).filter(search_document=query)
        best = list(every.annotate(r=search._rank(query, now)).order_by("-r", "-id").values_list("pk", flat=True)[:20])
        shown = [article.pk for article in search.find(text, "ar", 1, 20).page.object_list]
        same += shown == best
        overlap += len(set(shown[:10]) & set(best[:10])) / 10
    return same, overlap * 10 / len(QUERIES)


def _summary(title: str, walls: list[float], cpus: list[float]) -> str:
    figures = [percentile(walls, 0.5), percentile(walls, 0.95), max(walls)]
    figures += [percentile(cpus, 0.5), percentile(cpus, 0.95), max(cpus)]
    return f"{title:<20}  {figures[0]:>8.1f}  {figures[1]:>6.1f}  {figures[2]:>6.1f}  " + "  ".join(
        f"{figure:>{w}.1f}" for figure, w in zip(figures[3:], (8, 6, 6), strict=True)
    )


if __name__ == "__main__":
    main()
