"""The shared page cache for anonymous readers: what each public view declares, and invalidation.

A public view declares with `@public_page(params=…)` the query parameters it reads; the page cache
(`newsroom.pagecache`, the first middleware) keys a page on its path and only those parameters,
normalised, and hands the view nothing else, so `?cb=<random>` neither splits the cache nor
reaches the renderer.

Every stored page carries the generation it was built under. The generation record lives in the
shared cache (Redis or the database cache, never per-process memory) and is read in the same round
trip as the page; anything readers can see that changes starts a new generation, so every worker
stops serving the old pages at once. A story scheduled for later becomes public by a time
comparison, with no write to hook: the record also holds when the next scheduled story falls due,
and the first request after that moment starts a new generation.

The cache may fail (Redis down, the database cache's database down): every call here then answers
as if the cache were empty, pages are built uncached, and the cache is tried again a second later.
"""

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

log = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"
# Relative times ("منذ ٥ دقائق") age in a cached page, so pages live at most this long.
PAGE_TIMEOUT = 60
# Feeds and sitemaps hold no relative times; a 50,000-URL sitemap takes seconds to build.
LONG_TIMEOUT = 3600
# After a failed cache call this process builds pages uncached for this long, so an outage costs
# one failed (and time-limited) call per second, not one per request.
RETRY_AFTER = 1.0


def page_number(value: str) -> str | None:
    """`?page=` and `?p=`: "1", "01" and absent are one page; anything else reaches the view as is
    (it answers 404, which is never stored)."""
    if value.isascii() and value.isdigit() and len(value) <= 9:
        number = int(value)
        return None if number == 1 else str(number)
    return value


@dataclass(frozen=True)
class PagePolicy:
    """What a public view reads from the query string, and how long its pages may age."""

    params: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    timeout: int = PAGE_TIMEOUT

    def normalise(self, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The declared parameters only, in declared order; the last value wins, as in `GET.get()`."""
        given = dict(query)
        kept = []
        for name, normal in self.params.items():
            if name in given and (value := normal(given[name])) is not None:
                kept.append((name, value))
        return kept


def public_page(view=None, *, params: dict[str, Callable[[str], str | None]] | None = None, timeout=PAGE_TIMEOUT):
    """Declare a public view's pages cacheable for anonymous readers.

    `params` maps each query parameter the view reads to its normaliser (`str` keeps the value,
    `page_number` folds page numbers). Use as `@public_page`, `@public_page(params=…)` or
    `public_page(timeout=…)(feed_instance)`. Only complete, deterministic answers are stored
    (200, 301, 410, no cookie); `timeout` bounds how long a page's own clock-dependent text may
    age, since any change readers can see already starts a new generation.
    """
    policy = PagePolicy(dict(params or {}), timeout)

    def declare(target):
        target.page_cache = policy
        return target

    return declare if view is None else declare(view)


def is_anonymous(request) -> bool:
    # Decided from the cookie alone: touching request.user would read the session and add
    # "Vary: Cookie" to every public page.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class SharedCache:
    """The page cache's calls to the shared cache, each answering "nothing" while it fails."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.down_until = 0.0
        # A new generation this process could not record; recorded at the next call that works.
        self.pending_invalidation = False
        # Told of every failure (the database cache's failures are database outages too).
        self.on_error: Callable[[Exception], None] | None = None

    @property
    def available(self) -> bool:
        return self.clock() >= self.down_until

    def note_failure(self, error: Exception) -> None:
        if self.available:
            log.warning("shared cache unavailable, building pages uncached: %s", error)
        self.down_until = self.clock() + RETRY_AFTER
        if self.on_error is not None:
            self.on_error(error)

    def lookup(self, key: str) -> tuple[dict | None, dict | None] | None:
        """The generation record and the page stored at `key`, in one round trip; None when down."""
        if not self.available:
            return None
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as error:  # any failure of the cache means "build it uncached"
            self.note_failure(error)
            return None
        if self.pending_invalidation:
            self.pending_invalidation = False
            return self.new_record(), None
        return found.get(GENERATION_KEY), found.get(key)

    def get(self, key: str):
        """One value (a page body), or None when missing or the cache is down."""
        if not self.available:
            return None
        try:
            return cache.get(key)
        except Exception as error:  # missing: the page is built again
            self.note_failure(error)
            return None

    def store(self, entries: dict, timeout: int) -> None:
        if not self.available:
            return
        try:
            cache.set_many(entries, timeout)
        except Exception as error:  # a page not stored is built again next time
            self.note_failure(error)

    def new_record(self) -> dict | None:
        """Start a new generation; None (and remembered for later) while the cache is down."""
        if self.available:
            try:
                due = _next_scheduled(timezone.now())
            except DatabaseError:  # nothing can be built either; the next request tries again
                return None
            record = {"n": secrets.token_hex(8), "due": due}
            try:
                cache.set(GENERATION_KEY, record, timeout=None)
                return record
            except Exception as error:  # the pages stay stale only until the cache answers again
                self.note_failure(error)
        self.pending_invalidation = True
        return None

    def reset(self) -> None:
        self.down_until = 0.0
        self.pending_invalidation = False


shared = SharedCache()


def _next_scheduled(now: datetime) -> float | None:
    """When the next story already published for a future time goes public (a Unix time)."""
    from .models import Article

    # "Public by some far-off day, with a time still to come" is exactly "scheduled": built on
    # public(), so the one definition of public decides it, and the status/publish_at index serves it.
    later = Article.objects.public(now=now + timedelta(days=3650)).filter(publish_at__gt=now)
    due = later.order_by("publish_at").values_list("publish_at", flat=True).first()
    return due.timestamp() if due else None


def is_current(record: dict | None) -> bool:
    """A generation record that exists and whose next scheduled story has not fallen due."""
    return isinstance(record, dict) and (record["due"] is None or timezone.now().timestamp() < record["due"])


def current_generation(record: dict | None) -> str | None:
    """The generation a page built now belongs to, given the record just read (None: don't store).

    When the record is lost (evicted, the cache restarted) or a scheduled story has fallen due, a
    new generation starts: pages stored under any earlier one are never served again.
    """
    if is_current(record):
        return record["n"]
    fresh = shared.new_record()
    return fresh["n"] if fresh else None


def generation() -> str | None:
    """The current generation, read from the shared cache (None while the cache is unreachable)."""
    found = shared.lookup(GENERATION_KEY)
    return current_generation(found[0]) if found is not None else None


def invalidate_article(article) -> None:
    """Call after commit: a story's public state, text or corrections changed.

    Every page may list the story (home, sections, tags, feeds, related stories), so this starts a
    new generation for the whole site: one write, whatever the site's size.
    """
    invalidate_all()


def invalidate_all() -> None:
    """Call after commit: start a new generation, so no page built before now is served again."""
    shared.new_record()


def never_cache_headers(response):
    """For previews and other pages that must never be stored by anyone."""
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(response)
    return response
