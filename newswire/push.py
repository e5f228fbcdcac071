"""Pushing versions to subscribers' webhooks: signed, logged, retried, dead-lettered.

Each push is a `Delivery` row and a `newswire.deliver` job, both written in the transaction that
releases the version. A push is a POST of the ninjs item with these headers (the Standard
Webhooks scheme, so receivers may use any library for it):

    Webhook-Id         the delivery's id, the same on every retry: receivers drop repeats
    Webhook-Timestamp  Unix seconds at this attempt
    Webhook-Signature  "v1," + base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body))
    Telescope-Event    publish, update, kill or embargo-lifted

The secret is the subscriber's "whsec_…" value; the key is the base64 after "whsec_". A receiver
recomputes the signature over the exact body bytes and rejects a timestamp more than five
minutes away from its clock (`newswire/receiver_example.py` does both). Failures are retried with
exponential back-off and jitter; after NEWSWIRE_DELIVERY_ATTEMPTS tries the delivery is a dead
letter, listed in the admin with "send again".
"""

import base64
import hashlib
import hmac
import json
import random
import time

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from newsroom import jobs

from . import selection
from .models import Delivery, ItemVersion, PubStatus

USER_AGENT = "TelescopeNewswire/1"


class DeliveryFailed(Exception):
    """The webhook did not take the push; the job is retried until the tries run out."""


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.item.item, ensure_ascii=False, separators=(",", ":")).encode()


def headers_for(delivery: Delivery, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    message_id = f"delivery-{delivery.pk}"
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Webhook-Id": message_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": sign(delivery.subscriber.webhook_secret, message_id, timestamp, body),
        "Telescope-Event": delivery.event,
    }


def queue(version: ItemVersion, event: str) -> list[Delivery]:
    """A delivery and its job for every subscriber who takes this version. Call inside a transaction."""
    from . import tasks

    deliveries = Delivery.objects.bulk_create(
        Delivery(subscriber=subscriber, item=version, event=event) for subscriber in selection.subscribers_for(version)
    )
    for delivery in deliveries:
        jobs.defer(tasks.deliver, delivery_id=delivery.pk)
    return deliveries


def send_again(delivery: Delivery) -> None:
    """Queue a new round of tries for a delivery (a dead letter, say); its log keeps the old attempts."""
    from . import tasks

    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
        jobs.defer(tasks.deliver, delivery_id=delivery.pk)


def _superseded(delivery: Delivery) -> bool:
    """Never send a story's text after its kill, nor an older version after a newer one arrived."""
    item = delivery.item
    if item.pubstatus == PubStatus.CANCELED:
        return False
    newer = ItemVersion.objects.filter(article_id=item.article_id, language=item.language, version__gt=item.version)
    return (
        newer.filter(pubstatus=PubStatus.CANCELED).exists()
        or Delivery.objects.filter(
            item__in=newer, subscriber_id=delivery.subscriber_id, state=Delivery.State.DELIVERED
        ).exists()
    )


def attempt(delivery_id: int, *, final: bool) -> Delivery.State:
    """Try once to push a delivery. Raises DeliveryFailed when the webhook did not take it.

    Safe to run twice (a worker killed mid-push runs it again): a delivered one is not sent again.
    On the `final` try a failure makes the delivery a dead letter.
    """
    delivery = Delivery.objects.select_related("item", "subscriber").get(pk=delivery_id)
    if delivery.state in (Delivery.State.DELIVERED, Delivery.State.SKIPPED):
        return delivery.state
    subscriber = delivery.subscriber
    if not subscriber.is_active or not subscriber.webhook_url or _superseded(delivery):
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SKIPPED)
        return Delivery.State.SKIPPED

    body = body_of(delivery)
    status, error = None, ""
    try:
        response = httpx.post(
            subscriber.webhook_url,
            content=body,
            headers=headers_for(delivery, body),
            timeout=settings.NEWSWIRE_WEBHOOK_TIMEOUT,
            follow_redirects=False,
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}: {response.text[:500]}".strip(": ")
    except httpx.HTTPError as problem:
        error = f"{type(problem).__name__}: {problem}"[:500]

    now = timezone.now()
    state = Delivery.State.DELIVERED if not error else Delivery.State.DEAD if final else Delivery.State.RETRYING
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=delivery.attempts + 1,
        last_status=status,
        last_error=error,
        attempted_at=now,
        delivered_at=now if state == Delivery.State.DELIVERED else None,
    )
    if error:
        raise DeliveryFailed(f"{subscriber.webhook_url}: {status or error}")
    return state


def tries() -> int:
    return max(1, settings.NEWSWIRE_DELIVERY_ATTEMPTS)


def is_final(previous_attempts: int) -> bool:
    return previous_attempts + 1 >= tries()


class Backoff(BaseRetryStrategy):
    """Exponential back-off with jitter: try n waits between half and all of base × 2ⁿ (capped),
    so subscribers that failed together do not all come back at the same second."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        if is_final(job.attempts):
            return None
        ceiling = min(settings.NEWSWIRE_RETRY_MAX_SECONDS, settings.NEWSWIRE_RETRY_BASE_SECONDS * 2**job.attempts)
        return RetryDecision(retry_in={"seconds": ceiling / 2 + random.uniform(0, ceiling / 2)})  # noqa: S311
