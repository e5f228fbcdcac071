"""One JSON log line per request, and Prometheus metrics.

`RequestLogMiddleware` is the outermost middleware, so it sees every answer, those of the page
cache's fast path included: a request id (the proxy's X-Request-ID when it looks like one, else a
new one, sent back in the response), the status, the time, the database time and queries, and
whether the page cache answered (`hit`; `stale`: an older copy while the database is down), stored
the page (`miss`), could not store it (`pass`:
not cacheable; `off`: cache unreachable) or had nothing to do with it (`-`).

Metrics use prometheus_client directly rather than django-prometheus: the fast path answers before
any view, so its own counters are needed anyway, and a handful of pre-bound metrics cost about a
microsecond each per request. With several worker processes set PROMETHEUS_MULTIPROC_DIR to an
empty folder, so /metrics adds up every worker. /metrics answers only the addresses in
METRICS_ALLOWED_IPS (loopback by default) and never a request that came through a proxy.
"""

import json
import logging
import os
import re
import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger("newsroom.requests")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
CACHE_RESULTS = ("hit", "stale", "miss", "pass", "off", "-")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "newsroom_request_duration_seconds", "Time to answer a request, by page cache result", ["cache"],
    buckets=LATENCY_BUCKETS,
)
PAGE_CACHE = Counter("newsroom_page_cache_requests", "Cacheable page requests by page cache result", ["result"])
RESPONSES = Counter("newsroom_responses", "Answers by HTTP status", ["status"])
DB_SECONDS = Histogram("newsroom_db_duration_seconds", "Database time per request", buckets=LATENCY_BUCKETS)
DB_QUERIES = Counter("newsroom_db_queries", "Database queries")
# Bound once: labels() costs more than the observation itself.
_latency = {result: REQUEST_SECONDS.labels(result) for result in CACHE_RESULTS}
_cache_results = {result: PAGE_CACHE.labels(result) for result in CACHE_RESULTS if result != "-"}


class QueryTimer:
    """A database execute wrapper that adds up the time and number of this request's queries."""

    __slots__ = ("queries", "seconds")

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if REQUEST_ID.match(given) else os.urandom(8).hex()


def record(request, status: int, started: float, timer: QueryTimer | None = None) -> dict[str, str]:
    """Log and count one answered request; returns the headers every answer carries."""
    elapsed = time.perf_counter() - started
    result = getattr(request, "page_cache", "-")
    if not hasattr(request, "id"):
        request.id = request_id(request)
    _latency.get(result, _latency["-"]).observe(elapsed)
    if result in _cache_results:
        _cache_results[result].inc()
    RESPONSES.labels(status).inc()
    if timer is not None and timer.queries:
        DB_SECONDS.observe(timer.seconds)
        DB_QUERIES.inc(timer.queries)
    log.info(
        json.dumps(
            {
                "ts": round(time.time(), 3),
                "id": request.id,
                "method": request.method,
                "path": request.path,
                "status": status,
                "ms": round(elapsed * 1000, 2),
                "db_ms": round(timer.seconds * 1000, 2) if timer else 0.0,
                "queries": timer.queries if timer else 0,
                "cache": result,
            },
            ensure_ascii=False,
        )
    )
    return {"X-Request-ID": request.id}


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.id = request_id(request)
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        for name, value in record(request, response.status_code, started, timer).items():
            response[name] = value
        return response


class QueueDepthCollector:
    """Jobs waiting, read when scraped from the function named by settings.QUEUE_DEPTH (if any).

    That function returns a number, or a mapping of queue name to number.
    """

    def collect(self):
        path = getattr(settings, "QUEUE_DEPTH", "")
        if not path:
            return
        gauge = GaugeMetricFamily("newsroom_queue_depth", "Jobs waiting in the job queue", labels=["queue"])
        depth = import_string(path)()
        for queue, value in (depth.items() if isinstance(depth, dict) else [("default", depth)]):
            gauge.add_metric([queue], value)
        yield gauge


def _allowed(request) -> bool:
    forwarded = any(name in request.META for name in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"))
    return not forwarded and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


def metrics(request):
    """Prometheus exposition; a 404 for anyone not allowed, so nothing says it exists."""
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Everything())
    registry.register(QueueDepthCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _Everything:
    """This process's default registry, as one collector of a scrape registry."""

    def collect(self):
        return REGISTRY.collect()
