"""One JSON log line per request, cache hits included; Prometheus metrics for the operators only."""

import json
import logging

import pytest
from django.core.cache import cache

from articles import cache as page_cache

from .factories import SectionFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    page_cache.shared.reset()


def request_lines(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "newsroom.requests"]


def test_every_request_gets_one_json_line_with_its_id_status_time_and_cache_result(client, caplog):
    published(section=SectionFactory(slug="syria"))
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        first = client.get("/")
        second = client.get("/", HTTP_X_REQUEST_ID="from-the-proxy-42")
        client.get("/no-such-page/")
    built, hit, missing = request_lines(caplog)
    assert (built["cache"], hit["cache"], missing["cache"]) == ("miss", "hit", "-")
    assert (built["status"], hit["status"], missing["status"]) == (200, 200, 404)
    assert built["id"] == first["X-Request-ID"] and len(built["id"]) == 16
    assert hit["id"] == second["X-Request-ID"] == "from-the-proxy-42"
    assert built["queries"] > hit["queries"] and built["db_ms"] > 0
    assert all(line["ms"] > 0 and line["path"] and line["method"] == "GET" for line in (built, hit, missing))


def test_a_request_id_that_could_inject_log_lines_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        response = client.get("/robots.txt", HTTP_X_REQUEST_ID='x", "status": 200\n{"fake": 1')
    assert response["X-Request-ID"] != 'x", "status": 200\n{"fake": 1'
    assert len(request_lines(caplog)) == 1


def test_metrics_count_cache_hits_and_misses_and_database_time(client):
    published(section=SectionFactory(slug="syria"))

    def value(text: str, name: str) -> float:
        found = [line for line in text.splitlines() if line.startswith(name + " ") or line.startswith(name + "{")]
        return float(found[0].rsplit(" ", 1)[1]) if found else 0.0

    before = client.get("/metrics").content.decode()
    client.get("/")
    client.get("/")
    after = client.get("/metrics").content.decode()
    for name in (
        'newsroom_page_cache_requests_total{result="hit"}',
        'newsroom_page_cache_requests_total{result="miss"}',
    ):
        assert value(after, name) == value(before, name) + 1, name
    assert value(after, "newsroom_db_duration_seconds_count") > value(before, "newsroom_db_duration_seconds_count")
    assert 'newsroom_request_duration_seconds_bucket{cache="hit"' in after


def test_queue_depth_comes_from_the_function_settings_name(client, settings):
    settings.QUEUE_DEPTH = "tests.test_observability.two_queues"
    text = client.get("/metrics").content.decode()
    assert 'newsroom_queue_depth{queue="deliveries"} 3.0' in text
    assert 'newsroom_queue_depth{queue="imports"} 0.0' in text


def two_queues():
    return {"deliveries": 3, "imports": 0}


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # loopback, but relayed by a proxy from outside
        {"HTTP_FORWARDED": "for=203.0.113.9"},
    ],
)
def test_metrics_are_not_served_to_the_public(client, headers):
    assert client.get("/metrics", **headers).status_code == 404
