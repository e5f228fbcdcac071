"""The shared page cache for anonymous readers, and its invalidation.

Cached public responses are keyed by a generation number kept in the shared cache (Redis or the
database cache, never per-process memory); changing anything a reader can see bumps it, so every
worker stops serving the old pages at once. A story scheduled for later becomes public by a time
comparison, with no write to hook: the generation record also holds the time the next scheduled
story falls due, and the first request after that moment bumps the generation.

Responses carry an ETag and Last-Modified, and a conditional GET that matches answers 304.
"""

import functools
import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
# Relative times ("منذ ٥ دقائق") age in a cached page, so pages live at most this long.
PAGE_TIMEOUT = 60
# Feeds and sitemaps hold no relative times; a 50,000-URL sitemap takes seconds to build.
LONG_TIMEOUT = 3600
# Readers' browsers and a CDN revalidate every time; the answer is a cheap 304 from the shared cache.
CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}
CACHED_STATUSES = {200, 301, 410}


def _next_scheduled(now: datetime) -> float | None:
    """When the next story already published goes public: its scheduled time or its embargo's end (a Unix time)."""
    from .models import Article

    # "Public by some far-off day, with a time still to come" is exactly "scheduled" or "under
    # embargo": built on public(), so the one definition of public decides it; the status/publish_at
    # index and the embargo index serve the two queries.
    later = Article.objects.public(now=now + timedelta(days=3650))
    times = [
        later.filter(publish_at__gt=now).order_by("publish_at").values_list("publish_at", flat=True).first(),
        later.filter(embargo_until__gt=now).order_by("embargo_until").values_list("embargo_until", flat=True).first(),
    ]
    due = min((time for time in times if time is not None), default=None)
    return due.timestamp() if due else None


def _new_record(number: int) -> dict:
    record = {"n": number, "due": _next_scheduled(timezone.now())}
    cache.set(GENERATION_KEY, record, timeout=None)
    return record


def _fresh_number() -> int:
    # When the record is lost (evicted, cache flushed), restart from the clock rather than 1, so
    # pages cached under an old generation can never be served again.
    return int(timezone.now().timestamp() * 1000)


def generation() -> int:
    """The current generation; starts a new one when a scheduled story has fallen due."""
    record = cache.get(GENERATION_KEY)
    if not isinstance(record, dict):
        return _new_record(_fresh_number())["n"]
    if record["due"] is not None and timezone.now().timestamp() >= record["due"]:
        return _new_record(record["n"] + 1)["n"]
    return record["n"]


def invalidate_article(article) -> None:
    """Call after commit: a story's public state, text or corrections changed."""
    invalidate_all()


def invalidate_all() -> None:
    record = cache.get(GENERATION_KEY)
    _new_record(record["n"] + 1 if isinstance(record, dict) else _fresh_number())


def is_anonymous(request) -> bool:
    # Decided from the cookie alone: touching request.user would read the session and add
    # "Vary: Cookie" to every public page.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _not_modified(request, etag: str, last_modified: float) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(last_modified) <= since


def _headers(response, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, **CACHE_CONTROL)
    return response


def public_page(view=None, *, timeout: int = PAGE_TIMEOUT):
    """Serve a public view from the shared cache to anonymous GET and HEAD requests.

    Only complete, deterministic answers are stored (200, 301, 410); errors and signed-in
    requests pass through untouched. Any change readers can see starts a new generation, so
    `timeout` only bounds how long a page's own clock-dependent text (relative times) may age:
    pages without any (feeds, sitemaps) can keep longer. Use as `@public_page` or
    `@public_page(timeout=…)`.
    """
    if view is None:
        return functools.partial(public_page, timeout=timeout)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not is_anonymous(request):
            return view(request, *args, **kwargs)
        key = f"page:{generation()}:{get_language()}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code not in CACHED_STATUSES or response.streaming:
                return response
            content = response.content
            entry = {
                "status": response.status_code,
                "content": content,
                "headers": {
                    name: value
                    for name, value in response.items()
                    if name.lower() in ("content-type", "location", "content-language")
                },
                "etag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"',
                "last_modified": timezone.now().timestamp(),
            }
            cache.set(key, entry, timeout)
        if _not_modified(request, entry["etag"], entry["last_modified"]):
            return _headers(HttpResponseNotModified(), entry["etag"], entry["last_modified"])
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"].items():
            response[name] = value
        return _headers(response, entry["etag"], entry["last_modified"])

    return wrapper


def never_cache_headers(response):
    """For previews and other pages that must never be stored by anyone."""
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(response)
    return response
