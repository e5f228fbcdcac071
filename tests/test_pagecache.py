"""The page cache's fast path: one round trip, stored headers and variants, only declared parameters,
and pages that keep coming when the cache or the database goes away."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import brotli
import psycopg
import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from articles import cache as page_cache
from articles import workflow
from newsroom import outage, pagecache

from .factories import ArticleFactory, SectionFactory, published
from .front_client import through_the_front
from .redis_server import RedisServer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_state():
    cache.clear()
    pagecache.bodies.clear()
    page_cache.shared.reset()
    outage.breaker.tripped = False
    yield
    page_cache.shared.reset()
    outage.breaker.tripped = False


@pytest.fixture(params=["middleware", "front"])
def client(request, client):
    """Each test twice: hits answered by the middleware (runserver, the test client) and by the
    WSGI front before Django (gunicorn, newsroom/wsgi.py)."""
    return through_the_front(client) if request.param == "front" else client


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(settings, redis_server, request):
    settings.CACHES = redis_server.caches(prefix=f"t-{request.node.name}")
    cache.clear()
    return redis_server


@pytest.fixture
def story(db):
    return published(section=SectionFactory(slug="syria"), headline_ar="خبر في الذاكرة")


def url(article, language="ar"):
    with translation.override(language):
        return article.get_absolute_url()


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM newsroom_cache")
        return cursor.fetchone()[0]


# Serving a hit


def test_a_cached_page_on_redis_is_served_without_touching_the_database(
    client, on_redis, story, django_assert_num_queries
):
    first = client.get(url(story))
    assert first.wsgi_request.page_cache == "miss"
    with django_assert_num_queries(0):
        again = client.get(url(story))
    assert again.wsgi_request.page_cache == "hit"
    assert again.content == first.content


def test_a_hit_carries_every_header_the_built_page_had(client, story):
    built = client.get(url(story))
    cached = client.get(url(story))
    assert cached.wsgi_request.page_cache == "hit"
    for name in ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options", "ETag", "Vary"):
        assert cached[name] == built[name], name
    assert "Accept-Encoding" in cached["Vary"]
    assert not cached.cookies


def test_a_hit_answers_304_to_a_matching_etag_of_any_variant(client, story):
    brotli_tag = client.get(url(story), HTTP_ACCEPT_ENCODING="br")["ETag"]
    plain_tag = client.get(url(story))["ETag"]
    assert brotli_tag != plain_tag, "each encoding has its own entity tag"
    for tag in (brotli_tag, plain_tag, f"W/{plain_tag}"):
        answer = client.get(url(story), HTTP_IF_NONE_MATCH=tag)
        assert answer.status_code == 304, tag
        assert answer.content == b""
    assert client.get(url(story), HTTP_IF_NONE_MATCH='"another-page"').status_code == 200


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("identity", None, bytes),
        ("", None, bytes),
    ],
)
def test_the_compressed_variant_follows_accept_encoding(client, story, accept, encoding, decode):
    plain = client.get(url(story)).content
    answer = client.get(url(story), HTTP_ACCEPT_ENCODING=accept)
    assert answer.wsgi_request.page_cache == "hit"
    assert answer.get("Content-Encoding") == encoding
    assert int(answer["Content-Length"]) == len(answer.content)
    assert decode(answer.content) == plain
    if encoding:
        assert len(answer.content) < len(plain) / 2, "Arabic HTML compresses well"


def test_head_is_answered_from_the_cache(client, story):
    client.get(url(story))
    answer = client.head(url(story))
    assert answer.status_code == 200
    assert answer.wsgi_request.page_cache == "hit"


def test_signed_in_readers_and_posts_never_reach_the_cache(client, story):
    client.get(url(story))
    client.cookies["sessionid"] = "anything"
    assert client.get(url(story)).wsgi_request.page_cache == "-"


def test_another_worker_serves_the_page_from_the_shared_cache(client, on_redis, story, django_assert_num_queries):
    built = client.get(url(story), HTTP_ACCEPT_ENCODING="br")
    pagecache.bodies.clear()  # as in a worker that has not seen this page yet
    with django_assert_num_queries(0):
        again = client.get(url(story), HTTP_ACCEPT_ENCODING="br")
    assert again.wsgi_request.page_cache == "hit"
    assert again.content == built.content


def test_a_page_whose_body_was_evicted_is_built_again(client, story):
    built = client.get(url(story))
    pagecache.bodies.clear()
    cache.delete(f"body:{built['ETag'].strip(chr(34))}:identity")
    again = client.get(url(story))
    assert again.status_code == 200
    assert again.wsgi_request.page_cache == "miss"
    assert again.content == built.content


def test_bodies_kept_by_a_process_stay_within_their_limit():
    kept = pagecache.Bodies(limit=10)
    kept.put("a", b"12345")
    kept.put("b", b"12345")
    assert kept.get("a") == b"12345"  # now the most recently used
    kept.put("c", b"123")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (b"12345", None, b"123")
    kept.put("huge", b"x" * 11)
    assert kept.get("huge") is None
    assert kept.size <= 10


# Query parameters


def test_parameters_a_page_does_not_read_neither_split_the_cache_nor_reach_the_view(client, story):
    client.get("/")
    rows = cache_rows()
    for n in range(5):
        answer = client.get(f"/?cb={n}&utm_source=x")
        assert answer.wsgi_request.page_cache == "hit"
        assert dict(answer.wsgi_request.GET) == {}
    assert cache_rows() == rows, "a random query string wrote to the database cache"


def test_a_listing_keeps_its_page_number_and_folds_equivalent_ones(client, story):
    for i in range(25):
        published(section=story.section, headline_ar=f"خبر رقم {i}")
    first = client.get("/section/syria/?page=1&cb=1")
    assert dict(first.wsgi_request.GET) == {}
    assert client.get("/section/syria/").wsgi_request.page_cache == "hit"
    second = client.get("/section/syria/?cb=2&page=02")
    assert second.wsgi_request.GET.dict() == {"page": "2"}
    assert second.content != first.content
    assert client.get("/section/syria/?page=2").wsgi_request.page_cache == "hit"


def test_a_page_number_past_the_end_is_a_404_that_is_not_stored(client, story):
    client.get("/section/syria/")
    rows = cache_rows()
    assert client.get("/section/syria/?page=999").status_code == 404
    assert client.get("/section/syria/?page=x").status_code == 404
    assert cache_rows() == rows


# The cache goes away


def test_pages_are_built_when_the_cache_is_unreachable(client, settings, story):
    dead = RedisServer()  # a port where nothing listens
    settings.CACHES = dead.caches()
    for _ in range(2):
        answer = client.get(url(story))
        assert answer.status_code == 200
        assert "خبر في الذاكرة" in answer.content.decode()
        assert answer.wsgi_request.page_cache == "off"
        assert answer["ETag"]
    assert client.get("/healthz").json()["checks"]["cache"]["ok"] is False


def test_the_cache_is_used_again_as_soon_as_it_answers(client, settings, story, monkeypatch):
    server = RedisServer()
    settings.CACHES = server.caches()
    assert client.get(url(story)).wsgi_request.page_cache == "off"
    server.start()
    try:
        later = page_cache.shared.clock() + page_cache.RETRY_AFTER
        monkeypatch.setattr(page_cache.shared, "clock", lambda: later)
        assert client.get(url(story)).wsgi_request.page_cache == "miss"
        assert client.get(url(story)).wsgi_request.page_cache == "hit"
    finally:
        server.stop()


def test_a_story_published_while_the_cache_was_down_shows_once_it_is_back(
    client, on_redis, story, editor, journalist, monkeypatch, django_capture_on_commit_callbacks
):
    client.get("/")
    on_redis.stop()
    draft = ArticleFactory(section=story.section, headline_ar="نُشر والذاكرة معطلة", created_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(draft, "submit", journalist)
        workflow.transition(draft, "publish", editor)
    assert "نُشر والذاكرة معطلة" in client.get("/").content.decode()  # built uncached meanwhile
    on_redis.start()  # same port, empty: as if only the network had failed, the old home is gone
    later = page_cache.shared.clock() + page_cache.RETRY_AFTER
    monkeypatch.setattr(page_cache.shared, "clock", lambda: later)
    assert "نُشر والذاكرة معطلة" in client.get("/").content.decode()


def test_a_new_generation_that_could_not_be_recorded_is_recorded_when_the_cache_answers(client, on_redis, story):
    client.get(url(story))
    before = page_cache.generation()
    page_cache.shared.down_until = page_cache.shared.clock() + 60  # the cache was unreachable
    page_cache.invalidate_all()
    page_cache.shared.down_until = 0.0
    assert client.get(url(story)).wsgi_request.page_cache == "miss"
    assert page_cache.generation() != before


# The database goes away


def run_without_database(redis_url: str, prefix: str, *paths: str) -> list[dict]:
    """Ask for `paths` in a separate process whose database does not exist (port 9 refuses)."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "DATABASE_POOL": "0",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "SECRET_KEY": "x" * 60,
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    code = (
        "import django, json, sys; django.setup()\n"
        "from django.test import Client\n"
        "for path in sys.argv[1:]:\n"
        "    r = Client().get(path, HTTP_HOST='127.0.0.1')\n"
        "    print(json.dumps({'path': path, 'status': r.status_code, 'retry_after': r.get('Retry-After'),"
        " 'body': r.content.decode()}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def test_without_the_database_cached_pages_are_served_and_the_rest_answer_503(client, on_redis, story, settings):
    client.get(url(story))
    client.get("/")
    # The story's page is past its timeout: normally built again, but not without a database.
    head = pagecache.cache_key(url(story), "") + ":identity"
    cache.set(head, {**cache.get(head), "fresh_until": 0}, 600)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    cached_story, cached_home, uncached, health = run_without_database(
        on_redis.url, prefix, url(story), "/?cb=1", "/section/syria/", "/healthz"
    )
    assert cached_story["status"] == 200 and "خبر في الذاكرة" in cached_story["body"]
    assert cached_home["status"] == 200
    assert uncached["status"] == 503
    assert uncached["retry_after"] == str(outage.RETRY_AFTER_SECONDS)
    assert 'lang="ar" dir="rtl"' in uncached["body"]
    assert "غير متاحة مؤقتًا" in uncached["body"]
    # Readers are still served from the cache: degraded, not down.
    assert health["status"] == 200, health["body"]
    assert json.loads(health["body"])["checks"]["database"]["ok"] is False


def test_a_deadlock_is_not_an_outage():
    from django.db import OperationalError

    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert not outage.is_outage(wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert not outage.is_outage(wrapped(psycopg.errors.QueryCanceled("statement timeout")))
    assert outage.is_outage(wrapped(psycopg.errors.AdminShutdown("terminating connection")))
    assert outage.is_outage(wrapped(psycopg.OperationalError("connection refused")))


def test_after_an_outage_the_database_is_probed_and_used_again(monkeypatch):
    now = [100.0]
    reachable = [False]
    breaker = outage.DatabaseBreaker(clock=lambda: now[0], probe=lambda: reachable[0])
    from django.db import OperationalError

    breaker.note(OperationalError("connection refused"))
    assert not breaker.admit(), "within the second after the failure, nobody waits on the database"
    now[0] += outage.PROBE_EVERY
    assert not breaker.admit(), "probed, still down"
    now[0] += outage.PROBE_EVERY
    reachable[0] = True
    assert breaker.admit()
    assert breaker.admit()


def test_a_pool_still_connecting_is_not_thrown_away(monkeypatch):
    from django.db import OperationalError, connections
    from psycopg_pool import PoolTimeout

    replaced = []
    monkeypatch.setattr(connections["default"], "close_pool", lambda: replaced.append(True))
    now = [100.0]
    breaker = outage.DatabaseBreaker(clock=lambda: now[0], probe=lambda: True)

    def fail(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        breaker.note(error)
        now[0] += outage.PROBE_EVERY
        return breaker.admit()

    assert fail(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert replaced == [True], "dead connections: a new pool connects at once"
    assert fail(PoolTimeout("couldn't get a connection after 0.50 sec"))
    assert replaced == [True], "a pool waiting for its first connection is kept"
