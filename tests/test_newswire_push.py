"""Signed pushes to subscribers' webhooks: queued with the move, signed, retried, dead-lettered.

Jobs are inspected in procrastinate's table and run here by calling the job's work directly;
tests/test_newswire_worker.py runs real workers.
"""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from articles import workflow
from articles.models import Status
from newswire import push, versions
from newswire.models import Delivery, ItemVersion
from newswire.receiver_example import Receiver, Rejected, verify

from .factories import ArticleFactory, ProductFactory, SectionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture
def syria():
    return SectionFactory(slug="syria", name_ar="سوريا")


@pytest.fixture
def outlet(syria):
    return SubscriberFactory(products=[ProductFactory(sections=[syria])])


@pytest.fixture
def receiver(outlet):
    """The documented receiver, listening on a free local port, as the outlet's webhook."""
    server = Receiver(("127.0.0.1", 0), outlet.webhook_secret, quiet=True)
    outlet.webhook_url = serve(server)
    outlet.save()
    yield server
    server.shutdown()
    server.server_close()


class Flaky(BaseHTTPRequestHandler):
    failing = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(503 if type(self).failing else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky(outlet):
    handler = type("FlakyHandler", (Flaky,), {"failing": True})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    outlet.webhook_url = serve(server)
    outlet.save()
    yield handler
    server.shutdown()
    server.server_close()


def publish(editor, section, **fields):
    article = ArticleFactory(section=section, status=Status.APPROVED, **fields)
    workflow.transition(article, "publish", editor)
    return article


def run_pending(final=False):
    """What workers would do now: every waiting push, tried once."""
    for delivery in Delivery.objects.filter(state=Delivery.State.PENDING).order_by("id"):
        push.attempt(delivery.pk, final=final)


def deliver_jobs() -> list[int]:
    return sorted(job.args["delivery_id"] for job in ProcrastinateJob.objects.filter(task_name="newswire.deliver"))


def test_a_signature_verifies_and_forgeries_and_replays_are_rejected():
    secret = "whsec_" + "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY="
    body = json.dumps({"uri": "urn:telescope-news:story:1:ar"}).encode()
    now = int(time.time())
    headers = {"Webhook-Id": "delivery-1", "Webhook-Timestamp": str(now)}
    headers["Webhook-Signature"] = push.sign(secret, "delivery-1", now, body)
    assert verify(secret, headers, body, now=now + 299) == "delivery-1"
    with pytest.raises(Rejected, match="signature"):
        verify(secret, headers, body.replace(b"1", b"2"), now=now)
    with pytest.raises(Rejected, match="signature"):
        verify("whsec_" + "b3RoZXItc2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNDU=", headers, body, now=now)
    with pytest.raises(Rejected, match="five minutes"):
        verify(secret, headers, body, now=now + 301)
    stale = {**headers, "Webhook-Timestamp": str(now - 400)}
    with pytest.raises(Rejected):
        verify(secret, stale, body, now=now)


def test_publishing_queues_a_push_in_the_moves_own_transaction(editor, syria, outlet):
    outlet.webhook_url = "https://outlet.example/hook"
    outlet.save()
    article = publish(editor, syria)
    [delivery] = Delivery.objects.all()
    assert delivery.subscriber == outlet and delivery.item.article == article and delivery.event == "publish"
    assert deliver_jobs() == [delivery.pk]


def test_a_move_rolled_back_enqueues_nothing(editor, syria, outlet):
    outlet.webhook_url = "https://outlet.example/hook"
    outlet.save()
    article = ArticleFactory(section=syria, status=Status.APPROVED)
    jobs_before = ProcrastinateJob.objects.count()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        workflow.transition(article, "publish", editor)
        assert Delivery.objects.exists(), "the push was queued inside the transaction"
        raise Abort
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert not Delivery.objects.exists() and not ItemVersion.objects.exists()
    assert ProcrastinateJob.objects.count() == jobs_before


def test_publish_update_and_kill_reach_a_webhook_receiver_signed(editor, syria, receiver):
    article = publish(editor, syria, headline_ar="اشتباكات في حلب")
    run_pending()
    workflow.transition(article, "update", editor, "حصيلة جديدة")
    run_pending()
    workflow.transition(article, "kill", editor, "أمر قضائي")
    run_pending()
    got = [(r["event"], r["version"], r["pubstatus"]) for r in receiver.received]
    assert got == [("publish", "1", "usable"), ("update", "2", "usable"), ("kill", "3", "canceled")]
    assert len({r["uri"] for r in receiver.received}) == 1, "one story, one identity"
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.DELIVERED}


def test_a_push_that_fails_is_retried_then_dead_lettered_then_sent_again(client, chief, editor, syria, flaky):
    publish(editor, syria)
    delivery = Delivery.objects.get()
    with pytest.raises(push.DeliveryFailed):
        push.attempt(delivery.pk, final=False)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.RETRYING and delivery.attempts == 1 and delivery.last_status == 503
    with pytest.raises(push.DeliveryFailed):
        push.attempt(delivery.pk, final=True)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DEAD and delivery.attempts == 2

    client.force_login(chief)
    log = client.get(reverse("admin:newswire_delivery_changelist") + "?state__exact=dead")
    assert log.status_code == 200 and delivery.item.article.headline_ar in log.content.decode()
    jobs_before = len(deliver_jobs())
    client.post(
        reverse("admin:newswire_delivery_changelist"), {"action": "send_again", "_selected_action": [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING and len(deliver_jobs()) == jobs_before + 1
    flaky.failing = False
    assert push.attempt(delivery.pk, final=False) == Delivery.State.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.delivered_at is not None


def test_retries_back_off_exponentially_with_jitter_and_stop_at_the_configured_tries(settings):
    settings.NEWSWIRE_DELIVERY_ATTEMPTS = 5
    settings.NEWSWIRE_RETRY_BASE_SECONDS = 10
    settings.NEWSWIRE_RETRY_MAX_SECONDS = 3600
    strategy = push.Backoff()
    for attempts in range(4):
        ceiling = 10 * 2**attempts
        waits = set()
        for _ in range(20):
            decision = strategy.get_retry_decision(
                exception=push.DeliveryFailed(), job=SimpleNamespace(attempts=attempts)
            )
            wait = (decision.retry_at - timezone.now()).total_seconds()
            assert ceiling / 2 - 1 <= wait <= ceiling + 1, (attempts, wait)
            waits.add(round(wait, 3))
        assert len(waits) > 1, "waits are jittered"
    assert strategy.get_retry_decision(exception=push.DeliveryFailed(), job=SimpleNamespace(attempts=4)) is None
    assert push.is_final(4) and not push.is_final(3)


def test_a_storys_text_is_never_pushed_after_its_kill(editor, syria, receiver):
    article = publish(editor, syria)
    text_delivery = Delivery.objects.get()
    workflow.transition(article, "kill", editor, "أمر قضائي")
    kill_delivery = Delivery.objects.exclude(pk=text_delivery.pk).get()
    push.attempt(kill_delivery.pk, final=False)
    assert push.attempt(text_delivery.pk, final=False) == Delivery.State.SKIPPED
    assert [r["pubstatus"] for r in receiver.received] == ["canceled"]


def test_an_embargoed_story_is_pushed_at_once_and_again_when_the_embargo_lifts(editor, syria, receiver, monkeypatch):
    until = timezone.now() + timedelta(hours=1)
    article = publish(editor, syria, embargo_until=until)
    run_pending()
    [lift] = ProcrastinateJob.objects.filter(task_name="newswire.lift_embargo")
    assert lift.args == {"article_id": article.pk, "version": 1} and lift.scheduled_at == until
    assert versions.lift_embargo(article.pk, 1) == 0, "not before its time"
    monkeypatch.setattr("django.utils.timezone.now", lambda: until + timedelta(seconds=5))
    assert versions.lift_embargo(article.pk, 1) == 1
    run_pending()
    assert [(r["event"], r["embargoed"] is not None) for r in receiver.received] == [
        ("publish", True),
        ("embargo-lifted", True),
    ]


def test_a_scheduled_story_reaches_subscribers_at_its_time(editor, syria, outlet, monkeypatch):
    outlet.webhook_url = "https://outlet.example/hook"
    outlet.save()
    at = timezone.now() + timedelta(hours=2)
    article = publish(editor, syria, publish_at=at)
    assert ItemVersion.objects.get(article=article).sequence is None and not Delivery.objects.exists()
    [release] = ProcrastinateJob.objects.filter(task_name="newswire.release_story")
    assert release.scheduled_at == at
    assert versions.release_story(article.pk) == 0, "a job run early releases nothing"
    monkeypatch.setattr("django.utils.timezone.now", lambda: at + timedelta(seconds=1))
    assert versions.release_story(article.pk) == 1
    assert ItemVersion.objects.get(article=article).sequence is not None
    assert Delivery.objects.filter(item__article=article, event="publish").count() == 1
    assert versions.release_story(article.pk) == 0, "running it again changes nothing"
