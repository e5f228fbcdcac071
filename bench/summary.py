"""Issue 13's goals in one table, at the number of stories given:

    make bench ARGS="summary 10000"
    make bench ARGS="summary 100000"

Runs the other benches and reads their figures, never measuring anything itself but the queries:
bench/pages.py (cached ÷ static file with the page cache on Redis and in PostgreSQL, and the
uncached story and home pages: server CPU per request read from the gunicorn processes, and
requests per second), bench/search.py (p50/p95 over its typical queries and over its one-slip
queries) and bench/publish.py (publish → visible under load, with the cache on, on the story page,
home, section page and feed). The queries are counted in process for one uncached build of each
page.

Takes as long as those three together: about 15 minutes at 10,000 stories, plus the time to
generate the stories the first time (about 4 minutes per 100,000 for this database, as much again
for bench/publish.py's private one). BENCH_PUBLISH_STORIES sets the private one's size on its own
(default: the number given).
"""

import importlib.util
import logging
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BY_DEFAULT = False  # the table of tables: run when named, `make bench ARGS="summary 10000"`


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _queries(paths: dict[str, str]) -> dict[str, int]:
    """Queries one uncached build of each page runs (a session cookie bypasses the page cache)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = "bench-bypasses-the-page-cache"
    # Static files by their plain names: this process has no collected manifest.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    counts = {}
    log = logging.getLogger("newsroom.requests")  # its line per request would break the table
    log.disabled, was = True, log.disabled
    with override_settings(STORAGES=plain):
        for name, path in paths.items():
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            counts[name] = len(queries)
    log.disabled = was
    return counts


def main() -> int:
    stories = int(os.environ.get("BENCH_STORIES", "10000"))
    pages, search, publish = _bench("pages"), _bench("search"), _bench("publish")

    print(f"Pages at {stories} stories…", flush=True)
    have, story, results = pages.collect(stories)
    queries = _queries({"story": story, "home": "/"})
    print("Search…", flush=True)
    typical = search.measure(search.QUERIES)[1]
    slips = search.measure(search.SLIPS)[1]
    print("Publishing under load…", flush=True)
    published = publish.measure(int(os.environ.get("BENCH_PUBLISH_STORIES", stories)))

    rows = []
    for backend, label, goal in (("redis", "Redis", "≥ 0.7"), ("database", "PostgreSQL", "≥ 0.5")):
        table = dict(results.get(backend, []))
        for page in ("story", "home"):
            if table:
                cached, static = table[f"{page}, cached"], table[f"static file, same bytes as {page}"]
                value = f"{cached['rps'] / static['rps']:.2f} / {static['cpu_ms'] / cached['cpu_ms']:.2f}"
            else:
                value = "not run"
            rows.append((f"cached {page} ÷ static file, cache on {label} (req/s / CPU)", value, goal))
    table = dict(results.get("redis") or results.get("database") or [])
    for page, goal in (("story", "≤ 10 ms"), ("home", "≤ 8 ms")):
        uncached = table[f"{page}, uncached"]
        rows.append((f"uncached {page}: server CPU per request", f"{uncached['cpu_ms']:.1f} ms", goal))
        rows.append((f"uncached {page}: requests per second", f"{uncached['rps']:.0f}", ""))
        rows.append((f"uncached {page}: SQL queries", f"{queries[page]}", "≤ 8"))
    for label, timings in (("typical queries", typical), ("one slip each", slips)):
        p50, p95 = search.percentile(timings, 0.5), search.percentile(timings, 0.95)
        rows.append((f"search p50 / p95, {label}", f"{p50:.0f} / {p95:.0f} ms", "p95 ≤ 50 ms"))
    seen = [t for page in publish.PAGES for t in published["times"].get(page, []) if t is not None]
    never = sum(t is None for page in publish.PAGES for t in published["times"].get(page, []))
    worst = f"{max(seen):.2f} s" if seen else "-"
    rows.append(
        (
            "publish → visible, slowest of story/home/section/feed",
            f"{worst}" + (f", {never} never" if never else ""),
            "≤ 1 s",
        )
    )

    print(f"\nCode: {pages.ROOT}; {have} public stories; gunicorn 2 sync workers;")
    print(f"wrk -t2 -c8, {pages.WARMUP} s warm-up then {pages.DURATION} s measured; server CPU per request read")
    print(f"from the gunicorn processes; {published['published']} stories published under load\n")
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'value':>17}  goal")
    for measure, value, goal in rows:
        print(f"{measure:<{width}}  {value:>17}  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
