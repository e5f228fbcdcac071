"""Search latency over 100,000 stories (or BENCH_STORIES): p50/p95 of twenty typical Arabic
queries, of ten queries with one slip of the finger (which the page corrects, «هل تقصد …؟»), and
the index sizes.

Tops the database up to that many public stories with `manage.py generate_articles` first (and says
how long that took). Each query runs as the search page runs it: the count, the first page of
results and their highlighted snippets.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# `make bench ARGS="summary 10000"` sets BENCH_STORIES for every module it runs.
STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
REPEATS = 5
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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


def measure(queries: list[str]) -> tuple[list, list[float]]:
    """Each query as the search page runs it (the exact search, and the corrected one when it
    finds nothing), once to warm up then REPEATS times: per query (query, matches, median ms,
    correction), and every timing in ms."""
    from articles import search

    def run(query: str) -> tuple[int, str]:
        found = search.find(query, "ar", 1, 20)
        return found.page.paginator.count, found.suggestion or ""

    rows, timings = [], []
    for query in queries:
        matches, suggestion = run(query)  # warm the cache, as a live site's would be
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
    from django.db import connection

    have = top_up()

    rows, timings = measure(QUERIES)
    slip_rows, slip_timings = measure(SLIPS)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('article_search_idx'), "
            "(SELECT sum(pg_column_size(search_document)) FROM articles_article), "
            "pg_total_relation_size('articles_searchterm'), (SELECT count(*) FROM articles_searchterm)"
        )
        index_bytes, documents_bytes, lexicon_bytes, lexicon_words = cursor.fetchone()

    width = max(len(query) for query in QUERIES + SLIPS)
    print(f"{have} public stories; each query run {REPEATS} times after one warm-up")
    for title, table, times in (("typical queries", rows, timings), ("one slip each", slip_rows, slip_timings)):
        print(f"{title:<{width}}  {'matches':>8}  {'median ms':>9}  corrected to")
        for query, matches, median, suggestion in table:
            print(f"{query:<{width}}  {matches:>8}  {median:>9.1f}  {suggestion}")
        print(f"{'latency p50':<24}{percentile(times, 0.50):>10.1f} ms")
        print(f"{'latency p95':<24}{percentile(times, 0.95):>10.1f} ms")
        print()
    print(f"{'GIN index size':<24}{index_bytes / 2**20:>10.1f} MiB")
    print(f"{'stored documents':<24}{(documents_bytes or 0) / 2**20:>10.1f} MiB")
    print(f"{'lexicon':<24}{lexicon_bytes / 2**20:>10.1f} MiB ({lexicon_words} words)")


if __name__ == "__main__":
    main()
