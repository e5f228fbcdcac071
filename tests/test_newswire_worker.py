"""Real commits, real workers: the cursor against commit order, and a worker killed mid-push.

These tests commit (transactional database) and run `manage.py procrastinate worker` processes
against the test database. Waits are for events (a request arrived, a lock is awaited), bounded
so that a broken build fails instead of hanging; nothing here measures time.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connection, connections, transaction
from procrastinate.contrib.django import app as job_app

from articles import workflow
from articles.models import Status
from newsroom import jobs
from newswire import keys
from newswire.models import Delivery
from newswire.receiver_example import Rejected, verify

from .factories import ArticleFactory, ProductFactory, SectionFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.transactional]

ROOT = Path(__file__).resolve().parents[1]
BOUND = 60  # seconds: a ceiling for waits that end on an event, never a measurement


def wait_until(condition, what: str):
    """Check `condition` until it holds (or fail after BOUND seconds)."""
    pause = threading.Event()
    for _ in range(BOUND * 20):
        if condition():
            return
        pause.wait(0.05)
    pytest.fail(f"gave up waiting: {what}")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(*options) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_POOL": "0",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    command = [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "newswire", *options]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(autouse=True)
def empty_job_queue():
    """procrastinate's tables are not Django's to flush: leave them as the next test expects them."""
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, "
            "procrastinate_workers CASCADE"
        )


@pytest.fixture
def syria(db):
    return SectionFactory(slug="syria", name_ar="سوريا")


def test_a_version_that_commits_later_is_never_passed_over_by_the_cursor(client, editor, syria):
    cache.clear()
    outlet = SubscriberFactory(products=[ProductFactory(sections=[syria])])
    key = keys.make_key(outlet, "test")[1]

    def poll(since=None):
        query = {"since": since} if since else {}
        return client.get("/api/v1/items", query, HTTP_AUTHORIZATION=f"Bearer {key}").json()

    start = poll()["next"]
    first = ArticleFactory(section=syria, status=Status.APPROVED)
    second = ArticleFactory(section=syria, status=Status.APPROVED)
    numbered, commit = threading.Event(), threading.Event()

    def publish_and_hold():
        try:
            with transaction.atomic():
                workflow.transition(first, "publish", editor)
                numbered.set()  # released and numbered, not committed
                commit.wait(BOUND)
        finally:
            connections.close_all()

    def publish():
        try:
            workflow.transition(second, "publish", editor)
        finally:
            connections.close_all()

    slow = threading.Thread(target=publish_and_hold)
    slow.start()
    assert numbered.wait(BOUND)
    fast = threading.Thread(target=publish)
    fast.start()

    def fast_waits_for_the_sequence_lock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            return cursor.fetchone()[0] > 0

    wait_until(fast_waits_for_the_sequence_lock, "the second publish to queue behind the first's commit")
    between = poll(start)
    assert between["items"] == [], "nothing may be listed while an earlier number is uncommitted"
    commit.set()
    slow.join(BOUND)
    fast.join(BOUND)
    after = poll(between["next"])
    assert [item["uri"].split(":")[-2] for item in after["items"]] == [str(first.pk), str(second.pk)]


async def recover() -> int:
    """What the periodic `retry_stalled_jobs` does, now; closing the connection it opened."""
    try:
        return await jobs.recover_stalled_jobs(job_app)
    finally:
        await sync_to_async(connections.close_all)()


class HoldFirst(BaseHTTPRequestHandler):
    """A webhook that keeps the first push waiting (the worker is killed meanwhile) and takes the rest."""

    secret = ""
    arrived = None
    release = None
    accepted = None
    requests = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        cls = type(self)
        cls.requests += 1
        if cls.requests == 1:
            cls.arrived.set()
            cls.release.wait(BOUND)
            return
        try:
            cls.accepted.append(verify(cls.secret, self.headers, body))
        except Rejected:
            self.send_response(401)
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_worker_killed_in_the_middle_of_a_push_loses_nothing(editor, syria):
    outlet = SubscriberFactory(products=[ProductFactory(sections=[syria])])
    handler = type(
        "Hook",
        (HoldFirst,),
        {
            "secret": outlet.webhook_secret,
            "arrived": threading.Event(),
            "release": threading.Event(),
            "accepted": [],
            "requests": 0,
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    outlet.webhook_url = f"http://127.0.0.1:{server.server_address[1]}/"
    outlet.save()
    first_worker = second_worker = None
    try:
        article = ArticleFactory(section=syria, status=Status.APPROVED)
        workflow.transition(article, "publish", editor)
        delivery = Delivery.objects.get()

        first_worker = worker()
        assert handler.arrived.wait(BOUND), "the worker never pushed: " + first_worker.stderr.read1().decode()
        first_worker.send_signal(signal.SIGKILL)  # mid-push: no goodbye, no cleanup
        first_worker.wait(BOUND)
        handler.release.set()
        delivery.refresh_from_db()
        assert delivery.state == Delivery.State.PENDING

        # The dead worker's heartbeat stops; once it is old enough, its job is taken back.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'")
        assert asyncio.run(recover()) == 1
        second_worker = worker("--one-shot")
        assert second_worker.wait(BOUND) == 0, second_worker.stderr.read().decode()

        delivery.refresh_from_db()
        assert delivery.state == Delivery.State.DELIVERED, delivery.last_error
        assert handler.accepted == [f"delivery-{delivery.pk}"]
    finally:
        for process in (first_worker, second_worker):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        handler.release.set()
        server.shutdown()
        server.server_close()
