"""A per-key request limit in the shared cache, so every app server counts the same requests.

A fixed one-minute window per key: `cache.add` then `cache.incr`, atomic on Redis. (On the
database cache `incr` is a read then a write, so a burst across servers may slip a few requests
past the limit.) When the cache is down the API keeps answering: it cannot count, so it does not
refuse.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
WINDOW = 60


def wait_needed(identity: str) -> int | None:
    """Count one request for `identity`; the seconds to wait when it is over the limit, else None."""
    now = time.time()
    window = int(now // WINDOW)
    key = f"newswire:rate:{identity}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW * 2)
        count = cache.incr(key)
    except Exception:  # any cache failure: serve uncounted rather than refuse everyone
        logger.warning("Rate limit not counted: the cache is unavailable", exc_info=True)
        return None
    if count <= settings.NEWSWIRE_RATE_LIMIT:
        return None
    return max(1, int((window + 1) * WINDOW - now + 0.999))
