"""/healthz and /readyz say which dependency is failing, in JSON, and 503 only when readers cannot be
served at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles import cache as page_cache
from newsroom import outage

from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_state():
    page_cache.shared.reset()
    outage.breaker.tripped = False
    yield
    page_cache.shared.reset()
    outage.breaker.tripped = False


@pytest.mark.django_db
def test_healthz_reports_every_dependency_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_says_degraded_but_serving_when_the_cache_is_down(client, settings):
    settings.CACHES = RedisServer().caches()  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert "Connection" in body["checks"]["cache"]["error"]


@pytest.mark.django_db
def test_a_dependency_known_to_be_down_is_reported_without_waiting_on_it(client, settings):
    settings.CACHES = RedisServer().caches()
    client.get("/healthz")  # the first check fails and starts the back-off
    again = client.get("/healthz").json()["checks"]["cache"]
    assert again["ok"] is False
    assert "retried every second" in again["error"]


@pytest.mark.django_db
def test_more_checks_come_from_settings(client, settings):
    settings.HEALTH_CHECKS = {**settings.HEALTH_CHECKS, "queue": "tests.test_health.queue_is_stuck"}
    response = client.get("/healthz")
    assert response.status_code == 200, "a stuck queue does not stop readers"
    queue = response.json()["checks"]["queue"]
    assert (queue["ok"], queue["error"]) == (False, "Down: 12 jobs waiting")


def queue_is_stuck():
    from newsroom.health import Down

    raise Down("12 jobs waiting")


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["ready"] is True


def without_database(*paths: str) -> list[str]:
    # A separate process pointed at a port where no database listens: a real outage, not a mock.
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "DATABASE_POOL": "0",
        "REDIS_URL": "",
        "SECRET_KEY": "x" * 60,
        "DEBUG": "0",
        "HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    code = (
        "import django, sys; django.setup()\n"
        "from django.test import Client\n"
        "for path in sys.argv[1:]:\n"
        "    r = Client().get(path, HTTP_HOST='127.0.0.1'); print(r.status_code, r.content.decode())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()


def test_healthz_and_readyz_answer_503_when_neither_database_nor_cache_answers():
    import json

    health, ready = without_database("/healthz", "/readyz")
    status, body = health.split(" ", 1)
    assert status == "503"
    checks = json.loads(body)
    assert checks["status"] == "down"
    assert checks["checks"]["database"]["ok"] is False
    assert checks["checks"]["cache"]["ok"] is False  # the cache is a table in that same database
    assert ready.startswith("503 ")
