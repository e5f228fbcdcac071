"""The page cache's fast path: a cached page is answered before the rest of the stack does any work.

This is the first middleware after the request log. For an anonymous GET or HEAD of a page whose
view declared itself with `articles.cache.public_page`, it keeps only the query parameters the view
reads (normalised; the view never sees the others), then reads the generation record, the token
the page depends on (the lists', or its story's) and the page's entry for the encoding the client
accepts (Brotli, gzip or none) in one round trip to the shared cache. A current entry is answered
as stored: the final headers every middleware had added, an ETag (304 when it matches), and the
body, compressed once when it was stored. No session, no database, no URL resolution beyond a
per-process memo, no template.

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
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe

from articles import cache as page_cache

from . import outage

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


def serve(entry: dict, body: bytes) -> HttpResponse:
    headers = headers_for(entry)
    headers.update(entry["headers"])
    headers["Content-Length"] = str(len(body))
    if entry["encoding"] != IDENTITY:
        headers["Content-Encoding"] = entry["encoding"]
    return HttpResponse(body, status=entry["status"], headers=headers)


def answer_hit(request, entry: dict) -> HttpResponse | None:
    """A current entry's answer: 304, or its body from this process or the shared cache (None if
    the body is gone, e.g. evicted: the page is built again)."""
    if _not_modified(request, entry):
        return HttpResponseNotModified(headers=headers_for(entry))
    body = bodies.get(entry["body"])
    if body is None:
        body = page_cache.shared.get(entry["body"])
        if body is None:
            return None
        bodies.put(entry["body"], body)
    return serve(entry, body)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # With the cache in PostgreSQL, a database outage is a cache outage too: don't wait on it.
        self.cache_in_database = isinstance(caches["default"], DatabaseCache)
        if self.cache_in_database:
            page_cache.shared.on_error = outage.breaker.note

    def __call__(self, request):
        request.page_cache = "-"
        if (
            request.method not in ("GET", "HEAD")
            or not page_cache.is_anonymous(request)
            or (settings.SECURE_SSL_REDIRECT and not request.is_secure())
        ):
            return self.get_response(request)
        declared = policy_for(request.path_info)
        if declared is None:
            return self.get_response(request)
        policy, dependency = declared
        request.get_host()  # cached pages answer only the hosts in ALLOWED_HOSTS, as every page does
        if self.cache_in_database and not outage.breaker.admit():
            return outage.unavailable(request)

        query = request.META.get("QUERY_STRING", "")
        if query:
            query = urlencode(policy.normalise(parse_qsl(query, keep_blank_values=True)))
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query)
        key = cache_key(request.path_info, query)
        encoding = preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        found = page_cache.shared.lookup(dependency, f"{key}:{encoding}")
        entry = found.get(f"{key}:{encoding}") if found else None
        stale = None
        if entry is not None and entry["stamp"] == page_cache.stamp(found, dependency):
            fresh = time.time() < entry["fresh_until"]
            # Past its time but still current: served only while the database cannot build it.
            if fresh or outage.breaker.is_open:
                response = answer_hit(request, entry)
                if response is not None:
                    request.page_cache = "hit" if fresh else "stale"
                    return response
            stale = entry

        stamp = page_cache.new_stamp(found, dependency) if found is not None else None
        response = self.get_response(request)
        if response.status_code == 503 and stale is not None:
            # The database failed while rebuilding it: the page as it was is better than none.
            kept = answer_hit(request, stale)
            if kept is not None:
                request.page_cache = "stale"
                return kept
        if not storable(response):
            request.page_cache = "pass"
            return response
        entries, built = make_entries(response, stamp, policy.timeout)
        if stamp is None:
            request.page_cache = "off"
        else:
            request.page_cache = "miss"
            heads = {f"{key}:{name}": entry for name, entry in entries.items()}
            page_cache.shared.store({**heads, **built}, policy.timeout + STALE_FOR)
            for name, body in built.items():
                bodies.put(name, body)
        entry = entries[encoding]
        if _not_modified(request, entry):
            return HttpResponseNotModified(headers=headers_for(entry))
        return serve(entry, built[entry["body"]])
