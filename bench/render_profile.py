"""Where an uncached page's time goes: the newest story and the home page built in process.

Calls the WSGI application directly (no server, no network but PostgreSQL's) with a session
cookie, so the page cache is bypassed and every request builds the page, as a signed-in reader's
does. For each page it prints:

- the CPU and wall time per request with no instrumentation, and the queries one build runs;
- where that time goes, by cause: a few entry points (the template engine, the ORM, the date and
  digit formatting, translation lookups, the picture sources, JSON-LD and meta tags, URL
  reversing, the body's sanitiser) are wrapped with timers that charge each moment to the
  innermost cause running, so the causes add up to the whole; "everything else" is middleware,
  URL resolution and the views' own code;
- cProfile's cumulative and own-time tables.

Tops the database up to BENCH_STORIES stories first (default 10,000), as bench/pages.py does.
BENCH_RENDERS (300) requests per measurement; BENCH_CODE=/another/checkout profiles other code
the same way (before/after).

    make bench ARGS=render_profile
"""

import os
import subprocess
import sys
from pathlib import Path

try:
    from . import _services as services
except ImportError:  # loaded by bench/run.py as a plain file
    import importlib.util

    _spec = importlib.util.spec_from_file_location("bench_services", Path(__file__).with_name("_services.py"))
    services = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(services)

# A profile to read, not a figure to track: only `make bench ARGS=render_profile` runs it.
BY_DEFAULT = False
CODE = Path(os.environ.get("BENCH_CODE", services.ROOT)).resolve()
STORIES = int(os.environ.get("BENCH_STORIES", "10000"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "300"))

# Run inside the checkout being profiled (BENCH_CODE), so before and after are measured alike.
PROFILE = r'''
import cProfile, importlib, io, os, pstats, time
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.utils.encoding import iri_to_uri
from urllib.parse import unquote_to_bytes
from articles.models import Article

app = WSGIHandler()
RENDERS = int(os.environ["BENCH_RENDERS"])
newest = Article.objects.public().order_by("-publish_at").first()
PAGES = {"story": iri_to_uri(newest.get_absolute_url()), "home": "/"}


def environ(path):
    # A session cookie bypasses the page cache, as a signed-in reader's does.
    cookie = "sessionid=bench-bypasses-the-page-cache"
    env = RequestFactory().get("/", HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie).environ
    env["PATH_INFO"] = unquote_to_bytes(path).decode("iso-8859-1")  # as a WSGI server passes it
    return env


def get(path):
    status = []
    chunks = app({**environ(path), "wsgi.input": io.BytesIO()}, lambda s, h, exc_info=None: status.append(s))
    body = b"".join(chunks)
    chunks.close()
    assert status[0].startswith("200"), (path, status[0])
    return body


# Each cause: (module, attribute path) of its entry points. The innermost cause running is charged.
CAUSES = {
    "template engine": [("django.template.base", "Template.render")],
    "ORM: SQL and rows to objects": [
        ("django.db.models.sql.compiler", "SQLCompiler.execute_sql"),
        ("django.db.models.query", "QuerySet._fetch_all"),
        ("django.db.models.query", "prefetch_related_objects"),
        # Prepared queries run raw; the rows they read as JSON become objects in story_lists.
        ("django.db.models.query", "RawQuerySet._fetch_all"),
        ("articles.story_lists", "lists"),
    ],
    "dates and digits (arabic.py)": [
        ("articles.arabic", name)
        for name in ("format_datetime", "format_relative", "format_when", "format_hijri",
                     "format_datetime_with_hijri", "localize_digits")
    ],
    "translation lookups (gettext)": [
        ("django.utils.translation", "_trans." + name) for name in ("gettext", "ngettext", "pgettext", "npgettext")
    ],
    "picture sources": [("articles.images", "picture_sources")],
    "JSON-LD and meta tags (seo.py)": [
        ("articles.seo", name) for name in ("news_article", "social_meta", "alternates")
    ] + [("articles.templatetags.reader", "register.filters.jsonld")],
    "URL reversing": [("django.urls.resolvers", "URLResolver._reverse_with_prefix")],
    "body sanitiser (nh3)": [("articles.richtext", "sanitize")],
}
# Entry points this checkout lacks (older or newer code) are skipped, and said so.
MISSING = []
clock = {"on": False, "stack": [], "cpu": {}, "wall": {}, "calls": {}}


def charge(cause, wall, cpu):
    clock["wall"][cause] = clock["wall"].get(cause, 0) + wall
    clock["cpu"][cause] = clock["cpu"].get(cause, 0) + cpu


def timed(cause, function):
    def wrapper(*args, **kwargs):
        if not clock["on"]:
            return function(*args, **kwargs)
        stack = clock["stack"]
        wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
        if stack:  # the cause running until now stops being charged
            outer = stack[-1]
            charge(outer[0], wall - outer[1], cpu - outer[2])
        stack.append([cause, wall, cpu])
        clock["calls"][cause] = clock["calls"].get(cause, 0) + 1
        try:
            return function(*args, **kwargs)
        finally:
            wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
            _cause, since_wall, since_cpu = stack.pop()
            charge(cause, wall - since_wall, cpu - since_cpu)
            if stack:
                stack[-1][1], stack[-1][2] = wall, cpu
    wrapper.__wrapped__ = function
    return wrapper


def install():
    for cause, entries in CAUSES.items():
        for module_name, dotted in entries:
            try:
                owner = importlib.import_module(module_name)
                *path, name = dotted.split(".")
                for part in path:
                    owner = owner[part] if isinstance(owner, dict) else getattr(owner, part)
                original = owner[name] if isinstance(owner, dict) else getattr(owner, name)
            except (ImportError, AttributeError, KeyError):
                MISSING.append(f"{module_name}.{dotted}")
                continue
            if isinstance(owner, dict):
                owner[name] = timed(cause, original)
            else:
                setattr(owner, name, timed(cause, original))


def plain(path):
    """CPU and wall ms per request, uninstrumented."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(RENDERS):
        get(path)
    return (time.process_time() - cpu) * 1000 / RENDERS, (time.perf_counter() - wall) * 1000 / RENDERS


def by_cause(path):
    clock.update(on=True, stack=[], cpu={}, wall={}, calls={})
    cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
    for _ in range(RENDERS):
        get(path)
    total_cpu, total_wall = time.thread_time_ns() - cpu, time.perf_counter_ns() - wall
    clock["on"] = False
    rows = [(cause, clock["cpu"].get(cause, 0), clock["wall"].get(cause, 0), clock["calls"].get(cause, 0))
            for cause in CAUSES]
    rows.sort(key=lambda row: -row[1])
    rest = ("everything else (middleware, views, responses)", total_cpu - sum(r[1] for r in rows),
            total_wall - sum(r[2] for r in rows), 0)
    return [*rows, rest], total_cpu, total_wall


def profile(path, sort, lines, only=""):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(RENDERS // 3):
        get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(*([only] if only else []), lines)
    text = out.getvalue()
    return text[text.find("ncalls"):]


# Before the first render: compiled templates keep the filter functions they were compiled with.
install()
for page, path in PAGES.items():
    for _ in range(20):
        get(path)  # compiled templates, warm connections and translation catalogues
    queries = []
    # Not CaptureQueriesContext: a request's start empties the log it reads.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        size = len(get(path))
    cpu, wall = min(plain(path) for _ in range(3))
    print(f"\n### {page}: {path}")
    print(f"{size} bytes, {len(queries)} queries; {RENDERS} requests × 3, best run: "
          f"{cpu:.2f} ms CPU, {wall:.2f} ms wall per request (uninstrumented)\n")
    rows, total_cpu, total_wall = by_cause(path)
    print(f"{'where the time goes (innermost cause)':<50} {'CPU ms':>7} {'wall ms':>8} {'share':>6} {'calls':>6}")
    for cause, c, w, calls in rows:
        print(f"{cause:<50} {c / 1e6 / RENDERS:>7.2f} {w / 1e6 / RENDERS:>8.2f} "
              f"{c / total_cpu:>6.0%} {calls / RENDERS if calls else 0:>6.0f}")
    print(f"{'whole request, instrumented':<50} {total_cpu / 1e6 / RENDERS:>7.2f} {total_wall / 1e6 / RENDERS:>8.2f}")
    # Below the middleware: the views, the template engine, the ORM, our template tags.
    print(f"\ncProfile, by cumulative time ({RENDERS // 3} requests; the view and below):")
    print(profile(path, "cumulative", 30, only="articles/|desk/|newsroom/links|django/template/|django/db/"))
    print(f"cProfile, by own time ({RENDERS // 3} requests):")
    print(profile(path, "tottime", 20))
if MISSING:
    print("Not in this code, not timed: " + ", ".join(MISSING))
'''


def _pages():
    """bench/pages.py, for its data top-up (loaded as run.py loads modules)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_pages", Path(__file__).with_name("pages.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "REQUEST_LOG": "0"}
    env["STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    env["REDIS_URL"] = ""  # the page cache is bypassed; sessions are in the database either way
    stories = _pages().ensure_data(env, STORIES)
    result = subprocess.run(
        [services.PYTHON, "-c", PROFILE],
        cwd=CODE,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "BENCH_RENDERS": str(RENDERS)},
        text=True,
        capture_output=True,
        check=False,
    )
    print(f"Code: {CODE}; {stories} public stories; page cache bypassed (session cookie); in process")
    print(result.stdout or result.stderr[-3000:])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
