"""The deployed application (newsroom/wsgi.py): the page cache's front answers a current page before
Django's handler runs, and hands everything else to Django with the lookup it made.

These call the WSGI application as gunicorn does. Django's own handler closes the connection at each
request's start and end, so they run outside a test transaction."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.utils.encoding import iri_to_uri

from articles import cache as page_cache
from newsroom import outage, pagecache

from .factories import SectionFactory, published

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_state():
    cache.clear()
    pagecache.bodies.clear()
    page_cache.shared.reset()
    yield
    cache.clear()


class Counting:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0
        self.queries = []  # the query string the view was given

    def __call__(self, environ, start_response):
        self.calls += 1
        answer = self.django(environ, start_response)
        self.queries.append(environ["QUERY_STRING"])
        return answer


@pytest.fixture
def site():
    django = Counting()
    return django, pagecache.PageCacheFront(django)


def get(app, path, method="GET", **headers):
    """Ask `app` as a WSGI server would: the raw bytes of the path as Latin-1. Returns the status
    line, the headers and the body."""
    path, _, query = iri_to_uri(path).partition("?")
    environ = RequestFactory().generic(method, "/", **{"HTTP_HOST": "127.0.0.1", **headers}).environ
    environ.update(PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"), QUERY_STRING=query)
    environ["wsgi.input"] = io.BytesIO()
    told = {}

    def start_response(status, headers, exc_info=None):
        told.update(status=status, headers=dict(headers))

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return told["status"], told["headers"], body


@pytest.fixture
def story_path():
    # An Arabic slug: the server passes its percent-decoded UTF-8 bytes as Latin-1.
    story = published(section=SectionFactory(slug="syria"), headline_ar="خبر أمام جانغو", slug="خبر-أمام-جانغو")
    return story.get_absolute_url()


def test_a_current_page_is_answered_before_django_runs(site, story_path, caplog):
    django, front = site
    status, built_headers, built = get(front, story_path)
    assert (status, django.calls) == ("200 OK", 1)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        status, headers, body = get(front, story_path)
    assert status == "200 OK"
    assert django.calls == 1, "the hit reached Django"
    assert body == built and "خبر أمام جانغو" in body.decode()
    for name in ("Content-Type", "Content-Language", "Content-Security-Policy", "ETag", "Vary", "Content-Length"):
        assert headers[name] == built_headers[name], name
    assert headers["X-Request-ID"] != built_headers["X-Request-ID"]
    (line,) = [json.loads(record.getMessage()) for record in caplog.records]
    assert line["cache"] == "hit" and line["status"] == 200 and line["path"] == unquote(story_path)


def test_a_miss_costs_one_round_trip_and_django_sees_only_the_declared_parameters(site, story_path, monkeypatch):
    django, front = site
    lookups = []
    real = page_cache.shared.lookup
    monkeypatch.setattr(page_cache.shared, "lookup", lambda *keys: lookups.append(keys) or real(*keys))
    status, _headers, _body = get(front, "/?cb=1&page=01")
    assert status == "200 OK"
    assert len(lookups) == 1, "the middleware looked the page up again"
    assert django.queries == [""], "the view was given parameters it does not read"
    get(front, "/?cb=2")
    assert (django.calls, len(lookups)) == (1, 2), "the second answer was not the first one's page"


def test_conditional_and_head_requests_are_answered_by_the_front(site, story_path):
    django, front = site
    _status, headers, _body = get(front, story_path, HTTP_ACCEPT_ENCODING="gzip")
    assert headers["Content-Encoding"] == "gzip"
    status, headers, body = get(front, story_path, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body) == ("304 Not Modified", b"")
    assert "Content-Type" not in headers
    status, headers, _body = get(front, story_path, method="HEAD")
    assert status == "200 OK" and int(headers["Content-Length"]) > 1000
    assert django.calls == 1


def test_signed_in_readers_unknown_hosts_and_posts_go_to_django(site, story_path):
    django, front = site
    get(front, story_path)
    assert get(front, story_path, HTTP_COOKIE="sessionid=anything")[0] == "200 OK"
    assert get(front, story_path, HTTP_HOST="elsewhere.example")[0].startswith("400")
    assert get(front, story_path, method="POST")[0].startswith("403")  # no CSRF token
    assert django.calls == 4


def test_a_story_changed_since_is_not_answered_from_the_front(site, story_path):
    django, front = site
    get(front, story_path)
    page_cache.invalidate_all()
    get(front, story_path)
    assert django.calls == 2


def test_while_the_database_is_down_the_front_leaves_a_database_cache_to_the_middleware(site, story_path):
    django, front = site
    get(front, story_path)
    outage.breaker.tripped, outage.breaker.retry_at = True, outage.breaker.clock() + 60
    try:
        status, headers, _body = get(front, story_path)
    finally:
        outage.breaker.tripped = False
    assert django.calls == 2
    assert status.startswith("503") and headers["Retry-After"]


def test_static_files_the_admin_and_posts_pass_the_front_without_a_request_being_made(monkeypatch):
    front = pagecache.PageCacheFront(application=None)

    def no_request(environ):
        raise AssertionError(f"the front made a request for {environ['PATH_INFO']}")

    monkeypatch.setattr(pagecache, "WSGIRequest", no_request)
    for method, path in (("GET", "/static/css/site.css"), ("GET", "/admin/"), ("GET", "/api/v1/items"), ("POST", "/")):
        environ = RequestFactory().generic(method, path, HTTP_HOST="127.0.0.1").environ
        assert front.hit(environ) is None
        assert pagecache.FRONT_LOOKUP not in environ


def test_the_deployed_application_freezes_what_start_up_made():
    # Otherwise every full collection in a web worker walks ~100,000 start-up objects: a 20-30 ms
    # pause in the request being served.
    code = "import gc, newsroom.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) > 50_000


def test_a_failure_in_the_front_leaves_the_request_to_django(site, story_path, monkeypatch, caplog):
    django, front = site

    def broken(environ):
        raise RuntimeError("a bug in the front")

    monkeypatch.setattr(pagecache, "WSGIRequest", broken)  # the front's own request, not Django's
    status, _headers, body = get(front, story_path)
    assert status == "200 OK" and "خبر أمام جانغو" in body.decode()
    assert django.calls == 1
    assert "page cache front failed" in caplog.text
