"""Sign-in events come from django.contrib.auth and django-axes as signals, whatever path the
sign-in took; each becomes one audit entry. Successful sign-ins are recorded by
`accounts.login.complete()`, which knows how the second factor was satisfied."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from . import record
from .actions import Action


def _account(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    record(Action.LOGIN_FAILED, obj=_account(username), request=request, username=username)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    record(Action.LOCKED_OUT, obj=_account(username), request=request, username=username)


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def logged_out(sender, request=None, user=None, **kwargs):
    if user is not None and not getattr(request, "newsroom_idle_logout", False):
        record(Action.LOGOUT, by=user, obj=user, request=request)
