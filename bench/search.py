"""Search latency over 100,000 stories: p50/p95 of twenty typical Arabic queries, and the index size.

Tops the database up to 100,000 public stories with `manage.py generate_articles` first (and says
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

STORIES = 100_000
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection

    from articles import search
    from articles.models import Article

    have = Article.objects.public().count()
    if have < STORIES:
        print(f"Generating {STORIES - have} stories (the database has {have})…", flush=True)
        call_command("generate_articles", STORIES - have, "--no-progress")
        have = Article.objects.public().count()

    def run(query: str) -> int:
        page = Paginator(search.search_articles(query), 20).get_page(1)
        search.highlight(page.object_list, query)
        return page.paginator.count

    rows, timings = [], []
    for query in QUERIES:
        matches = run(query)  # warm the cache, as a live site's would be
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            run(query)
            times.append((time.perf_counter() - started) * 1000)
        timings.extend(times)
        rows.append((query, matches, statistics.median(times)))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('article_search_idx'), "
            "(SELECT sum(pg_column_size(search_document)) FROM articles_article)"
        )
        index_bytes, documents_bytes = cursor.fetchone()

    width = max(len(query) for query in QUERIES)
    print(f"{have} public stories; each query run {REPEATS} times after one warm-up")
    print(f"{'query':<{width}}  {'matches':>8}  {'median ms':>9}")
    for query, matches, median in rows:
        print(f"{query:<{width}}  {matches:>8}  {median:>9.1f}")
    print()
    print(f"{'latency p50':<24}{percentile(timings, 0.50):>10.1f} ms")
    print(f"{'latency p95':<24}{percentile(timings, 0.95):>10.1f} ms")
    print(f"{'GIN index size':<24}{index_bytes / 2**20:>10.1f} MiB")
    print(f"{'stored documents':<24}{(documents_bytes or 0) / 2**20:>10.1f} MiB")


if __name__ == "__main__":
    main()
