"""Where a cache hit's time goes: one story page answered from the page cache, in process.

Calls the WSGI application directly (no server, no network but the cache's) a few thousand times
for the same cached story page, prints the mean time per hit and the functions that take it
(cProfile, sorted by own time). Uses its own redis-server on a spare port, or the database cache
with BENCH_CACHES=database. BENCH_CODE=/another/checkout profiles other code the same way.

    make bench ARGS=hit_profile
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

# A profile to read, not a figure to track: only `make bench ARGS=hit_profile` runs it.
BY_DEFAULT = False
CODE = Path(os.environ.get("BENCH_CODE", services.ROOT)).resolve()
HITS = int(os.environ.get("BENCH_HITS", "3000"))

PROFILE = """
import cProfile, io, os, pstats, sys, time
import django
django.setup()

from django.test import RequestFactory
from articles.models import Article

from newsroom.wsgi import application as app
from django.utils.encoding import iri_to_uri
path = iri_to_uri(Article.objects.public().order_by("-publish_at").first().get_absolute_url())
from urllib.parse import unquote_to_bytes
base = RequestFactory().get("/", HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, br").environ
# As a WSGI server passes it: the raw bytes of the path, as Latin-1.
base["PATH_INFO"] = unquote_to_bytes(path).decode("iso-8859-1")
def environ():
    return {**base, "wsgi.input": io.BytesIO()}
def hit():
    chunks = app(environ(), lambda status, headers, exc_info=None: None)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return body
hit(); hit()
hits = int(os.environ["BENCH_HITS"])
started = time.perf_counter()
for _ in range(hits):
    hit()
elapsed = time.perf_counter() - started
print(f"{hits} hits of {path}: {elapsed / hits * 1e6:.0f} µs each (in process, profiler off)")
profile = cProfile.Profile()
profile.enable()
for _ in range(hits):
    hit()
profile.disable()
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(18)
print(out.getvalue()[out.getvalue().find("ncalls"):])
if os.environ.get("BENCH_CALLERS"):  # who calls the functions matching this pattern
    out = io.StringIO()
    pstats.Stats(profile, stream=out).print_callers(os.environ["BENCH_CALLERS"])
    print(out.getvalue())
"""


def main() -> int:
    backend = os.environ.get("BENCH_CACHES", "redis").split(",")[0]
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "BENCH_HITS": str(HITS)}
    env["STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    env["REQUEST_LOG"] = "0"  # the log line goes to stderr; measured by bench/pages.py instead
    redis = None
    if backend == "redis":
        redis = services.Redis()
        redis.start()
        env["REDIS_URL"] = redis.url
    else:
        env["REDIS_URL"] = ""
    try:
        result = subprocess.run(
            [services.PYTHON, "-c", PROFILE],
            cwd=CODE,
            env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
            text=True,
            capture_output=True,
            check=False,
        )
        print(f"Code: {CODE}; page cache: {backend}")
        print(result.stdout or result.stderr[-3000:])
    finally:
        if redis is not None:
            redis.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
