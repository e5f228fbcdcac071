"""The shared page cache for anonymous readers: what each public view declares, and invalidation.

A public view declares with `@public_page(params=…)` the query parameters it reads; the page cache
(`newsroom.pagecache`, the first middleware) keys a page on its path and only those parameters,
normalised, and hands the view nothing else, so `?cb=<random>` neither splits the cache nor
reaches the renderer.

Every stored page carries the stamp of what it was built from, read in the same round trip as the
page, from the shared cache (Redis or the database cache, never per-process memory), so every
worker stops serving an old page at once:

- the site's generation, which `invalidate_all()` renews: a story leaving the site (unpublished,
  killed), a change every page shows, a scheduled story falling due;
- for listings (home, sections, tags, sources, authors, feeds, sitemaps), the lists' token, and
  for a story's page, that story's token: `invalidate_article()` renews both when a story that
  is public now is published, edited or corrected. Other stories' pages are kept, so a publish
  under load rebuilds a handful of pages, not all of them; their "related stories" boxes catch up
  within PAGE_TIMEOUT.

A story scheduled for later becomes public by a time comparison, with no write to hook: the
generation record also holds when the next scheduled story falls due, and the first request after
that moment starts a new generation.

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
LISTS_KEY = "public:lists"
# Relative times ("منذ ٥ دقائق") age in a cached page, so pages live at most this long.
PAGE_TIMEOUT = 60
# Feeds and sitemaps hold no relative times; a 50,000-URL sitemap takes seconds to build.
LONG_TIMEOUT = 3600
# After a failed cache call this process builds pages uncached for this long, so an outage costs
# one failed (and time-limited) call per second, not one per request.
RETRY_AFTER = 1.0
# A lost token only costs the pages that depend on it one rebuild; a day keeps one token per story
# ever edited from piling up.
TOKEN_TIMEOUT = 86400


def page_number(value: str) -> str | None:
    """`?page=` and `?p=`: "1", "01" and absent are one page; anything else reaches the view as is
    (it answers 404, which is never stored)."""
    if value.isascii() and value.isdigit() and len(value) <= 9:
        number = int(value)
        return None if number == 1 else str(number)
    return value


def story_key(pk) -> str:
    return f"public:story:{pk}"


@dataclass(frozen=True)
class PagePolicy:
    """What a public view reads from the query string, how long its pages may age, and, for the
    page of one story, the URL argument that names it."""

    params: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    timeout: int = PAGE_TIMEOUT
    story: str | None = None

    def dependency(self, kwargs: dict) -> str:
        """The token a page depends on besides the site's generation."""
        return story_key(kwargs[self.story]) if self.story else LISTS_KEY

    def normalise(self, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The declared parameters only, in declared order; the last value wins, as in `GET.get()`."""
        given = dict(query)
        kept = []
        for name, normal in self.params.items():
            if name in given and (value := normal(given[name])) is not None:
                kept.append((name, value))
        return kept


def public_page(
    view=None,
    *,
    params: dict[str, Callable[[str], str | None]] | None = None,
    timeout: int = PAGE_TIMEOUT,
    story: str | None = None,
):
    """Declare a public view's pages cacheable for anonymous readers.

    `params` maps each query parameter the view reads to its normaliser (`str` keeps the value,
    `page_number` folds page numbers). `story` names the URL argument holding the story's id on
    a story's own page (it then depends on that story, not on the lists). Use as `@public_page`,
    `@public_page(params=…)` or `public_page(timeout=…)(feed_instance)`. Only complete,
    deterministic answers are stored (200, 301, 410, no cookie); `timeout` bounds how long a
    page's own clock-dependent text may age, since any change readers can see renews its stamp.
    """
    policy = PagePolicy(dict(params or {}), timeout, story)

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

    def lookup(self, *keys: str) -> dict | None:
        """The generation record and `keys`, in one round trip; None when the cache is down."""
        if not self.available:
            return None
        try:
            found = cache.get_many([GENERATION_KEY, *keys])
        except Exception as error:  # any failure of the cache means "build it uncached"
            self.note_failure(error)
            return None
        if self.pending_invalidation:
            self.pending_invalidation = False
            return {GENERATION_KEY: self.new_record()}
        return found

    def get(self, key: str):
        """One value (a page body), or None when missing or the cache is down."""
        if not self.available:
            return None
        try:
            return cache.get(key)
        except Exception as error:  # missing: the page is built again
            self.note_failure(error)
            return None

    def store(self, entries: dict, timeout: int | None) -> bool:
        if not self.available:
            return False
        try:
            cache.set_many(entries, timeout)
            return True
        except Exception as error:  # a page not stored is built again next time
            self.note_failure(error)
            return False

    def new_tokens(self, *keys: str) -> dict[str, str] | None:
        """New tokens for `keys` (lists, stories); None (and a new generation remembered for
        later) while the cache is down."""
        tokens = {key: secrets.token_hex(8) for key in keys}
        if self.store(tokens, TOKEN_TIMEOUT):
            return tokens
        self.pending_invalidation = True
        return None

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


def is_current(record: dict | None) -> bool:
    """A generation record that exists and whose next scheduled story has not fallen due."""
    return isinstance(record, dict) and (record["due"] is None or timezone.now().timestamp() < record["due"])


def stamp(found: dict, dependency: str) -> tuple[str, str] | None:
    """What a page depending on `dependency` would be stamped with now, from a lookup's result;
    None when the generation is not current or the token is missing."""
    record = found.get(GENERATION_KEY)
    token = found.get(dependency)
    return (record["n"], token) if token is not None and is_current(record) else None


def new_stamp(found: dict, dependency: str) -> tuple[str, str] | None:
    """The stamp for a page built now, starting a generation or a token where there is none
    (lost, evicted, due); None while the cache is down (the page is then not stored)."""
    record = found.get(GENERATION_KEY)
    if not is_current(record):
        record = shared.new_record()
    token = found.get(dependency)
    if token is None and record is not None:
        tokens = shared.new_tokens(dependency)
        token = tokens[dependency] if tokens else None
    return (record["n"], token) if record is not None and token is not None else None


def current_generation(record: dict | None) -> str | None:
    """The site's generation, given the record just read; starts one when it is lost or due."""
    if is_current(record):
        return record["n"]
    fresh = shared.new_record()
    return fresh["n"] if fresh else None


def generation() -> str | None:
    """The current generation, read from the shared cache (None while the cache is unreachable)."""
    found = shared.lookup()
    return current_generation(found.get(GENERATION_KEY)) if found is not None else None


def invalidate_article(article) -> None:
    """Call after commit: a story was saved or moved.

    A story public now (published, edited, corrected) renews the lists and its own page. One that
    readers have never been shown (a draft, submitted, approved) renews nothing. Any other (one
    unpublished, killed, deleted or scheduled for later) renews the whole site, so it leaves every
    page at once and a scheduled story's time is known.
    """
    from .models import Article

    if Article.objects.public().filter(pk=article.pk).exists():
        shared.new_tokens(LISTS_KEY, story_key(article.pk))
        return
    first_published = Article.objects.filter(pk=article.pk).values_list("first_published_at", flat=True)
    if list(first_published) != [None]:
        invalidate_all()


def invalidate_picture(image_id: int) -> None:
    """Call after commit: a picture's renditions changed (made after its upload, or remade around a
    new focal point).

    Pages built before show the picture from its original or name files now removed: renew the
    lists and the pages of the public stories it leads, as publishing them would. A picture that
    leads no public story renews nothing.
    """
    from .models import Article

    stories = Article.objects.public().filter(lead_image_id=image_id).values_list("pk", flat=True)
    keys = [story_key(pk) for pk in stories]
    if keys:
        shared.new_tokens(LISTS_KEY, *keys)


def invalidate_all() -> None:
    """Call after commit: start a new generation, so no page built before now is served again."""
    shared.new_record()


def never_cache_headers(response):
    """For previews and other pages that must never be stored by anyone."""
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(response)
    return response
