"""/healthz and /readyz: each dependency's state in JSON, answered fast even when one is down.

The checks are data: `settings.HEALTH_CHECKS` maps a name to a function that returns when the
dependency answers and raises when it does not (another app adds its own, e.g. the job queue).
A dependency known to be down (the database breaker or the page cache's back-off is open) is
reported without being asked again, so a probe never waits on a dead server.

- `/healthz` answers 503 only when readers cannot be served at all: neither the database (which
  builds every page) nor the shared cache (which holds the cached ones) answers.
- `/readyz` answers 503 unless the database answers: whether this instance can build every page,
  for a deploy that waits before sending it traffic.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache

from articles import cache as page_cache

from .outage import breaker

# Readers get pages while any of these answers.
SERVE_READERS = ("database", "cache")


class Down(Exception):
    pass


def check_database() -> None:
    if breaker.is_open:
        raise Down("unreachable (retried every second)")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        breaker.note(error)
        raise


def check_cache() -> None:
    if not page_cache.shared.available:
        raise Down("unreachable (retried every second)")
    try:
        cache.get(page_cache.GENERATION_KEY)
    except Exception as error:
        page_cache.shared.note_failure(error)
        raise


def states() -> dict[str, dict]:
    result = {}
    for name, path in settings.HEALTH_CHECKS.items():
        started = time.perf_counter()
        try:
            import_string(path)()
            state = {"ok": True}
        except Exception as error:  # a failing dependency is reported, never raised
            state = {"ok": False, "error": f"{type(error).__name__}: {error}"[:200]}
        state["ms"] = round((time.perf_counter() - started) * 1000, 2)
        result[name] = state
    return result


@never_cache
def healthz(request):
    checks = states()
    serving = any(checks[name]["ok"] for name in SERVE_READERS if name in checks)
    status = "ok" if all(state["ok"] for state in checks.values()) else "degraded" if serving else "down"
    return JsonResponse({"status": status, "checks": checks}, status=200 if serving else 503)


@never_cache
def readyz(request):
    checks = states()
    ready = checks.get("database", {}).get("ok", False)
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
