"""Invalidation of the shared page cache when public content changes.

Cached public responses are keyed by a generation number kept in the shared cache; changing
anything a reader can see bumps it, so every worker stops serving the old pages at once.
"""

from django.core.cache import cache

GENERATION_KEY = "public:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate_article(article) -> None:
    """Call after commit: a story's public state, text or corrections changed."""
    invalidate_all()


def invalidate_all() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
