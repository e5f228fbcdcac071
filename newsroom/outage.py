"""Database outages: answer 503 with Retry-After at once, and come back by themselves.

When a request fails because PostgreSQL cannot be reached, this process stops sending requests to
it (a circuit breaker): every page the page cache cannot answer gets a 503 with Retry-After
straight away, instead of holding a worker for the pool's timeout. Every half second a TCP probe
(no query, no pool wait) asks whether the server is back; when it is, the connection pool is
replaced if its connections died, so the first request after the outage connects at once instead
of waiting for the old pool's reconnection back-off. Cached pages are answered before any of this (newsroom.pagecache).
"""

import logging
import socket
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.shortcuts import render
from django.utils import translation
from django.views.defaults import server_error as django_server_error
from psycopg_pool import PoolTimeout

log = logging.getLogger(__name__)

# Seconds between probes while the database is down (a TCP connect: cheap).
PROBE_EVERY = 0.5
# What a 503 tells clients and crawlers.
RETRY_AFTER_SECONDS = 5
PROBE_TIMEOUT = 0.1
# SQLSTATE classes and codes that mean "the server is not there", as opposed to a failed query
# (a deadlock or a statement timeout must not take the site down).
OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# These report the outage themselves (newsroom.health, newsroom.observability).
REPORTS_OUTAGES = {"/healthz", "/readyz", "/metrics"}


def is_outage(error: BaseException | None) -> bool:
    """A connection-level database failure: refused, reset, shut down, or no pooled connection."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(OUTAGE_SQLSTATES)


def _probe(alias: str = "default") -> bool:
    """Whether the database server accepts a TCP connection (or its Unix socket exists)."""
    params = settings.DATABASES[alias]
    host, port = params.get("HOST") or "", int(params.get("PORT") or 5432)
    try:
        if host.startswith("/") or not host:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(PROBE_TIMEOUT)
                sock.connect(f"{host or '/var/run/postgresql'}/.s.PGSQL.{port}")
        else:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
                pass
    except OSError:
        return False
    return True


class DatabaseBreaker:
    """Per process: open after an outage, probed every `PROBE_EVERY` seconds until it closes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, probe: Callable[[], bool] = _probe):
        self.clock = clock
        self.probe = probe
        self.tripped = False
        self.pool_is_stale = False
        self.retry_at = 0.0

    @property
    def is_open(self) -> bool:
        return self.tripped and self.clock() < self.retry_at

    def note(self, error: BaseException) -> None:
        if is_outage(error):
            if not self.tripped:
                log.warning("database unreachable, answering 503 until it is back: %s", error)
            self.tripped = True
            self.retry_at = self.clock() + PROBE_EVERY
            # A pool that merely has no connection ready yet may be connecting right now: replacing
            # it again would throw that connection away. Dead connections are another matter.
            if not isinstance(error.__cause__, PoolTimeout):
                self.pool_is_stale = True

    def admit(self) -> bool:
        """Whether a request may use the database now."""
        if not self.tripped:
            return True
        if self.clock() < self.retry_at:
            return False
        if not self.probe():
            self.retry_at = self.clock() + PROBE_EVERY
            return False
        log.warning("database reachable again")
        self.tripped = False
        if self.pool_is_stale:
            # The old pool retries with an exponential back-off (1, 2, 4, 8… seconds); a new one
            # connects now. Connections of the old pool are dead anyway.
            self.pool_is_stale = False
            connections["default"].close_pool()
        return True


breaker = DatabaseBreaker()


def unavailable(request):
    """503 in the reader's language, built without the database."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Placed after the page cache and the static files, before anything that reads the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in REPORTS_OUTAGES and not breaker.admit():
            return unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            breaker.note(exception)
            return unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: an outage met outside a view (a middleware, a session save) is a 503 too."""
    error = sys.exc_info()[1]
    if is_outage(error):
        breaker.note(error)
        return unavailable(request)
    return django_server_error(request, *args, **kwargs)
