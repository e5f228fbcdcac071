"""Slow down password guessing on the admin login: after repeated failures for one account from
one address, refuse further tries for a while. Counts live in the shared cache, so every app
server sees them."""

import hashlib

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.casefold()}|{address}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def failures(username: str, address: str) -> int:
    return cache.get(_key(username, address), 0)


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    key = _key(credentials.get("username", ""), client_address(request))
    if cache.add(key, 1, LOCKOUT_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOCKOUT_SECONDS)


class ProtectedAdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts for this account. For your safety, wait 15 minutes before trying "
            "again, or ask a chief editor to reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and failures(username, client_address(self.request)) >= MAX_FAILURES:
            raise ValidationError(self.error_messages["locked"], code="locked")
        result = super().clean()
        cache.delete(_key(username, client_address(self.request)))
        return result
