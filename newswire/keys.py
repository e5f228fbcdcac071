"""API keys: made once and shown once, stored as a digest, found by it, revoked by a time.

A key is 32 random bytes (`tnw_` and 43 URL-safe characters). With that much entropy a plain
SHA-256 digest is the right store: a slow password hash would only slow every API request,
since no key can be guessed from its digest anyway.
"""

import base64
import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

import audit

from .models import ApiKey, Subscriber

PREFIX = "tnw_"
# Recording every use would write a row per request; once a minute says enough.
LAST_USE_PRECISION = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def make_key(subscriber: Subscriber, name: str, by=None) -> tuple[ApiKey, str]:
    """A new key for the subscriber. Returns the stored row and the key itself, which is never stored.

    `by` is the person who made it (None for a script); the audit trail records it either way.
    """
    key = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiKey.objects.create(subscriber=subscriber, name=name, prefix=key[:12], digest=digest(key))
        audit.record("api_key_made", by=by, obj=subscriber, key=row.prefix, name=name)
    return row, key


def new_webhook_secret() -> str:
    """A signing secret in the Standard Webhooks form: "whsec_" and base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def authenticate(key: str) -> ApiKey | None:
    """The active key of an active subscriber matching `key`, or None. Records its use."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    row = (
        ApiKey.objects.select_related("subscriber")
        .filter(digest=digest(key), revoked_at__isnull=True, subscriber__is_active=True)
        .first()
    )
    if row is not None:
        now = timezone.now()
        if row.last_used_at is None or row.last_used_at < now - LAST_USE_PRECISION:
            row.last_used_at = now
            ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def revoke(key: ApiKey, by=None) -> None:
    """The key stops working at once, on every server. Revoking twice keeps the first time."""
    with transaction.atomic():
        if ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            audit.record("api_key_revoked", by=by, obj=key.subscriber, key=key.prefix, name=key.name)
    key.refresh_from_db(fields=["revoked_at"])
