"""The page cache's fast path: a cached page is answered before the rest of the stack does any work.

`PageCacheFront` is the WSGI application gunicorn serves (newsroom/wsgi.py), in front of Django's.
For an anonymous GET or HEAD of a page whose view declared itself with
`articles.cache.public_page`, it keeps only the query parameters the view reads (normalised; the
view never sees the others), then reads the generation record, the token the page depends on (the
lists', or its story's) and the page's entry for the encoding the client accepts (Brotli, gzip or
none) in one round trip to the shared cache. A current entry is answered as stored: the final
headers every middleware had added, an ETag (304 when it matches), and the body, compressed once
when it was stored. No Django handler, middleware, session, database, URL resolution beyond a
per-process memo, or template: on this 2-core machine that made a hit about a fifth cheaper than
the same checks done in the first middleware.

Anything else goes to Django with the lookup made, so a miss costs one round trip too.
`PageCacheMiddleware` (first after the request log) then serves what the front left (every hit
under `runserver` and the test client, which do not use the front; pages past their time while the
database is down), and builds and stores the misses.

The entry names its body by the hash of the page, and the body is a separate cache value. A process
keeps the bodies it has fetched (`Bodies`, bounded in bytes): a body named by its content can never
be out of date, so this is not a per-process cache of pages (which one worker could not invalidate
for the others); the shared cache alone decides which page is current, and a hit moves a few hundred
bytes instead of the page.

A page past its timeout but still current (nothing it shows has changed) is kept for STALE_FOR
more seconds and served only while the database is down. On a miss the request goes through the
whole stack; the answer, if it is complete and the same for
every reader (200, 301 or 410, no cookie, no Vary: Cookie), is stored with its variants and served
the same way. When the cache is unreachable the page is built and answered uncached.
"""

import functools
import gzip
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe

from articles import cache as page_cache

from . import observability, outage

log = logging.getLogger(__name__)

CACHED_STATUSES = {200, 301, 410}
# Readers' browsers and a CDN revalidate every time; the answer is a cheap 304 from the fast path.
CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Set anew on every answer from what the entry holds, never copied from the stored response.
FRESH_HEADERS = {"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary", "date"}
COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")
# Below this a compressed body saves less than its header costs.
MIN_COMPRESS_BYTES = 256
# Quality 11 is Brotli's best and costs ~40 ms on a story page; 6 saves nearly as much in ~1 ms,
# which matters when a publish starts a new generation and every page is built again.
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# How long a page is kept past its own timeout, to be served while the database is down.
STALE_FOR = 600
# Stored variants, best first; the ETag suffix tells them apart.
IDENTITY = "identity"
ENCODINGS = ("br", "gzip", IDENTITY)
ETAG_SUFFIX = {"br": "-br", "gzip": "-gz", IDENTITY: ""}


class Bodies:
    """Page bodies this process has fetched or built, by name (content hash and encoding); the
    least recently used go past `limit` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[str, bytes] = OrderedDict()

    def get(self, name: str) -> bytes | None:
        body = self.items.get(name)
        if body is not None:
            self.items.move_to_end(name)
        return body

    def clear(self) -> None:
        self.items.clear()
        self.size = 0

    def put(self, name: str, body: bytes) -> None:
        if name in self.items or len(body) > self.limit:
            return
        self.items[name] = body
        self.size += len(body)
        while self.size > self.limit:
            _name, old = self.items.popitem(last=False)
            self.size -= len(old)


bodies = Bodies(settings.PAGE_BODIES_MB * 1024 * 1024)


@functools.lru_cache(maxsize=4096)
def policy_for(path_info: str) -> tuple[page_cache.PagePolicy, str] | None:
    """The page-cache declaration of the view at `path_info` and the token its pages depend on,
    resolved once per process per path."""
    language = translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info)
        except Resolver404:
            return None
    policy = getattr(match.func, "page_cache", None)
    return (policy, policy.dependency(match.kwargs)) if policy else None


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        policy_for.cache_clear()


@functools.lru_cache(maxsize=256)
def preferred_encoding(header: str) -> str:
    """The best stored variant an Accept-Encoding header accepts."""
    accepted = set()
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            if params and float(quality) <= 0:
                continue
        except ValueError:
            continue
        accepted.add(coding.strip())
    return next(encoding for encoding in ENCODINGS if encoding in accepted or encoding == IDENTITY)


def cache_key(path_info: str, query: str) -> str:
    # Hashed: paths are percent-encoded Arabic and may be long.
    return "page:" + hashlib.blake2b(f"{path_info}?{query}".encode(), digest_size=16).hexdigest()


def storable(response) -> bool:
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        # A nonce is per request: a page carrying one cannot be sent twice.
        and "nonce-" not in response.get("Content-Security-Policy", "")
    )


def make_entries(response, stamp: tuple[str, str] | None, timeout: int) -> tuple[dict[str, dict], dict[str, bytes]]:
    """What is stored for a page: an entry per Content-Encoding, and the bodies they name.

    A page too small or not text to compress has one body, named by every encoding's entry.
    """
    content = response.content
    digest = hashlib.sha256(content).hexdigest()[:32]
    vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
    encoded = {IDENTITY: content}
    if len(content) >= MIN_COMPRESS_BYTES and response.get("Content-Type", "").startswith(COMPRESSIBLE):
        encoded["br"] = brotli.compress(content, quality=BROTLI_QUALITY)
        encoded["gzip"] = gzip.compress(content, GZIP_LEVEL, mtime=0)
        vary.append("Accept-Encoding")
    common = {
        "stamp": stamp,
        "fresh_until": time.time() + timeout,
        "status": response.status_code,
        "headers": {name: value for name, value in response.items() if name.lower() not in FRESH_HEADERS},
        "etag": digest,
        "last_modified": http_date(time.time()),
        "vary": ", ".join(vary),
    }
    entries = {}
    for encoding in ENCODINGS:
        sent = encoding if encoding in encoded else IDENTITY
        entries[encoding] = {**common, "encoding": sent, "body": f"body:{digest}:{sent}"}
    return entries, {f"body:{digest}:{name}": body for name, body in encoded.items()}


def _not_modified(request, entry: dict) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # Any variant's tag names the same page: the suffix only tells the encodings apart.
        tags = {tag.strip().removeprefix("W/").strip('"').partition("-")[0] for tag in if_none_match.split(",")}
        return entry["etag"] in tags or "*" in tags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since is None:
        return False
    since = parse_http_date_safe(if_modified_since)
    modified = parse_http_date_safe(entry["last_modified"])
    return since is not None and modified is not None and modified <= since


def headers_for(entry: dict) -> dict:
    headers = {
        "ETag": f'"{entry["etag"]}{ETAG_SUFFIX[entry["encoding"]]}"',
        "Last-Modified": entry["last_modified"],
        "Cache-Control": CACHE_CONTROL,
    }
    if entry["vary"]:
        headers["Vary"] = entry["vary"]
    return headers


def full_headers(entry: dict, body: bytes) -> dict:
    headers = headers_for(entry)
    headers.update(entry["headers"])
    headers["Content-Length"] = str(len(body))
    if entry["encoding"] != IDENTITY:
        headers["Content-Encoding"] = entry["encoding"]
    return headers


@dataclass(frozen=True, slots=True)
class Answer:
    """A stored page's answer, before it is an HttpResponse (the middleware) or a WSGI answer (the
    front)."""

    status: int
    headers: dict
    body: bytes

    def response(self) -> HttpResponse:
        if self.status == 304:
            return HttpResponseNotModified(headers=self.headers)
        return HttpResponse(self.body, status=self.status, headers=self.headers)


def answer_for(request, entry: dict, body: bytes) -> Answer:
    """A stored page's answer to this request: 304 when the client has it, else the page."""
    if _not_modified(request, entry):
        return Answer(304, headers_for(entry), b"")
    return Answer(entry["status"], full_headers(entry, body), body)


def answer_hit(request, entry: dict) -> Answer | None:
    """A current entry's answer, its body from this process or the shared cache (None if the body
    is gone, e.g. evicted: the page is built again)."""
    body = b"" if _not_modified(request, entry) else bodies.get(entry["body"])
    if body is None:
        body = page_cache.shared.get(entry["body"])
        if body is None:
            return None
        bodies.put(entry["body"], body)
    return answer_for(request, entry, body)


@dataclass(slots=True)
class Lookup:
    """One round trip's findings for a cacheable request: the generation record, the token the
    page depends on and its entry for the accepted encoding (`found` is None while the cache is
    down)."""

    policy: page_cache.PagePolicy
    dependency: str
    key: str
    encoding: str
    query: str
    found: dict | None

    @property
    def entry(self) -> dict | None:
        """The stored entry if nothing it shows has changed since it was built."""
        if self.found is None:
            return None
        entry = self.found.get(f"{self.key}:{self.encoding}")
        if entry is not None and entry["stamp"] == page_cache.stamp(self.found, self.dependency):
            return entry
        return None


def declared_page(request) -> tuple[page_cache.PagePolicy, str] | None:
    """The page-cache declaration of an anonymous GET or HEAD of a cacheable page, or None.

    Raises DisallowedHost for a host outside ALLOWED_HOSTS: cached pages answer only those hosts,
    as every page does."""
    if (
        request.method not in ("GET", "HEAD")
        or not page_cache.is_anonymous(request)
        or (settings.SECURE_SSL_REDIRECT and not request.is_secure())
    ):
        return None
    declared = policy_for(request.path_info)
    if declared is not None:
        request.get_host()
    return declared


def look_up(request, policy: page_cache.PagePolicy, dependency: str) -> Lookup:
    """Keep only the query parameters the view reads (the view never sees the others), then read
    the generation, the page's token and its entry in one round trip."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        query = urlencode(policy.normalise(parse_qsl(query, keep_blank_values=True)))
        keep_only(request, query)
    key = cache_key(request.path_info, query)
    encoding = preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    found = page_cache.shared.lookup(dependency, f"{key}:{encoding}")
    return Lookup(policy, dependency, key, encoding, query, found)


def keep_only(request, query: str) -> None:
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


def _cache_in_database() -> bool:
    return isinstance(caches["default"], DatabaseCache)


class PageCacheMiddleware:
    """Serves what the front (`PageCacheFront`) could not: every hit under the test client and
    `runserver`, pages past their time while the database is down; builds and stores the misses."""

    def __init__(self, get_response):
        self.get_response = get_response
        # With the cache in PostgreSQL, a database outage is a cache outage too: don't wait on it.
        self.cache_in_database = _cache_in_database()
        if self.cache_in_database:
            page_cache.shared.on_error = outage.breaker.note

    def __call__(self, request):
        request.page_cache = "-"
        lookup = request.META.pop(FRONT_LOOKUP, None)
        if lookup is not None:
            if request.META.get("QUERY_STRING", ""):
                keep_only(request, lookup.query)
        else:
            declared = declared_page(request)
            if declared is None:
                return self.get_response(request)
            if self.cache_in_database and not outage.breaker.admit():
                return outage.unavailable(request)
            lookup = look_up(request, *declared)

        entry, stale = lookup.entry, None
        if entry is not None:
            fresh = time.time() < entry["fresh_until"]
            # Past its time but still current: served only while the database cannot build it.
            if fresh or outage.breaker.is_open:
                answer = answer_hit(request, entry)
                if answer is not None:
                    request.page_cache = "hit" if fresh else "stale"
                    return answer.response()
            stale = entry

        found, dependency = lookup.found, lookup.dependency
        stamp = page_cache.new_stamp(found, dependency) if found is not None else None
        response = self.get_response(request)
        if response.status_code == 503 and stale is not None:
            # The database failed while rebuilding it: the page as it was is better than none.
            kept = answer_hit(request, stale)
            if kept is not None:
                request.page_cache = "stale"
                return kept.response()
        if not storable(response):
            request.page_cache = "pass"
            return response
        entries, built = make_entries(response, stamp, lookup.policy.timeout)
        if stamp is None:
            request.page_cache = "off"
        else:
            request.page_cache = "miss"
            heads = {f"{lookup.key}:{name}": entry for name, entry in entries.items()}
            page_cache.shared.store({**heads, **built}, lookup.policy.timeout + STALE_FOR)
            for name, body in built.items():
                bodies.put(name, body)
        entry = entries[lookup.encoding]
        return answer_for(request, entry, built[entry["body"]]).response()


# Where the front leaves its lookup for the middleware, so a miss costs one round trip, not two.
FRONT_LOOKUP = "newsroom.page_cache.lookup"


class PageCacheFront:
    """The WSGI application in front of Django's: a current page is answered before Django's
    handler runs (no signals, no middleware, no response object), after the same checks and the
    same lookup as the middleware, with the same log line and metrics. Anything else goes to
    Django, with the lookup already made."""

    def __init__(self, application, release_connections=close_old_connections):
        self.application = application
        self.cache_in_database = _cache_in_database()
        # A database cache's connection goes back to the pool after a hit, as after any request
        # (the test client keeps its connection, as Django's own test handler does).
        self.release_connections = release_connections

    def hit(self, environ) -> tuple[WSGIRequest, Answer] | None:
        """The request and its answer from the cache, or None (and the lookup, if one was made,
        left in `environ` for the middleware)."""
        try:
            return self._hit(environ)
        except Exception:  # the front only saves work: whatever fails in it, Django answers the request
            log.exception("page cache front failed; the request goes to Django")
            environ.pop(FRONT_LOOKUP, None)
            return None

    def _hit(self, environ) -> tuple[WSGIRequest, Answer] | None:
        # Static files, the admin, the API: no request object made, nothing added to their cost.
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or policy_for(get_path_info(environ) or "/") is None:
            return None
        # A copy: a request rewrites PATH_INFO in its environ, and Django makes its own from it.
        request = WSGIRequest(environ.copy())
        try:
            declared = declared_page(request)
        except DisallowedHost:  # Django answers it, as for any page
            return None
        # While the database (and so a database cache) is down, the middleware decides what to serve.
        if declared is None or (self.cache_in_database and outage.breaker.tripped):
            return None
        lookup = look_up(request, *declared)
        entry = lookup.entry
        answer = answer_hit(request, entry) if entry is not None and time.time() < entry["fresh_until"] else None
        if self.cache_in_database:
            self.release_connections()
        if answer is None:
            environ[FRONT_LOOKUP] = lookup
            return None
        request.page_cache = "hit"
        return request, answer

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = self.hit(environ)
        if found is None:
            return self.application(environ, start_response)
        request, answer = found
        start_response(*self.status_and_headers(request, answer, started))
        return [answer.body]

    @staticmethod
    def status_and_headers(request, answer: Answer, started: float) -> tuple[str, list[tuple[str, str]]]:
        """What the WSGI server is told, once the answer is logged and counted."""
        headers = {**answer.headers, **observability.record(request, answer.status, started)}
        return f"{answer.status} {HTTPStatus(answer.status).phrase}", list(headers.items())
