"""Idle staff sessions end: after STAFF_SESSION_IDLE_MINUTES without an admin request, the next one
finds the person signed out. Readers' pages are left alone."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout, user_logged_in
from django.dispatch import receiver

import audit
from audit.actions import Action

from .login import IDLE_SIGNED_OUT

LAST_SEEN = "newsroom_last_seen"
# The session is written at most once a minute to note activity, not on every request.
RESOLUTION_SECONDS = 60


def _now() -> int:
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def session_started(sender, request, user, **kwargs):
    request.session[LAST_SEEN] = _now()
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)


class IdleStaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Staff activity is the admin's; readers' pages never read the session (that would cost a
        # query and add "Vary: Cookie", splitting the shared cache).
        if (
            session is not None
            and request.path_info.startswith("/admin/")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and SESSION_KEY in session
        ):
            self.check(request, session)
        return self.get_response(request)

    def check(self, request, session) -> None:
        idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
        now, seen = _now(), session.get(LAST_SEEN)
        if seen is not None and now - seen > idle:
            user = request.user
            request.newsroom_idle_logout = True
            audit.record(Action.SESSION_EXPIRED, by=user, obj=user, request=request, idle_minutes=idle // 60)
            logout(request)
            request.session[IDLE_SIGNED_OUT] = True
        elif seen is None or now - seen >= RESOLUTION_SECONDS:
            session[LAST_SEEN] = now
            # The stored expiry moves with activity too, so abandoned sessions are purged by clearsessions.
            session.set_expiry(idle)
