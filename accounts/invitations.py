"""Invitations: a one-time link with which a new member of staff sets their own password.

The link carries Django's password-reset token, which stops working once the password is set (the
token is made from the password hash and last sign-in) or after PASSWORD_RESET_TIMEOUT. It is sent
through Django's mail settings when mail is configured; otherwise, or when sending fails, the
chief editor is shown the link to pass on.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlsafe_base64_encode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import audit
from articles.arabic import localize_digits
from audit.actions import Action

log = logging.getLogger(__name__)


def link(request: HttpRequest, account) -> str:
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    return request.build_absolute_uri(reverse("account-welcome", args=[uid, token]))


def invite(request: HttpRequest, account, by) -> str | None:
    """Make an invitation for `account` and mail it; returns the link when it was not mailed.

    The caller checks that `by` may act on `account`.
    """
    url = link(request, account)
    mailed = False
    if settings.MAIL_CONFIGURED and account.email:
        with translation.override(account.admin_language or settings.LANGUAGE_CODE):
            subject = str(_("Your Telescope Newsroom account"))
            body = render_to_string("accounts/invitation_email.txt", {"account": account, "link": url, "by": by})
        try:
            send_mail(subject, body, None, [account.email])
            mailed = True
        except (smtplib.SMTPException, OSError):
            log.exception("Invitation mail to staff member %s failed", account.pk)
    audit.record(Action.INVITATION_SENT, by=by, obj=account, request=request, mailed=mailed)
    return None if mailed else url


def tell(request: HttpRequest, account, unsent_link: str | None) -> None:
    """The message that says where the invitation went, or gives the link to pass on."""
    if unsent_link is None:
        messages.success(
            request, _("An invitation to set a password was sent to %(email)s.") % {"email": account.email}
        )
    else:
        text = _(
            "No invitation e-mail was sent (mail is not configured, or there is no address). Give "
            "%(name)s this one-time link to set a password; it works once, for %(days)s days: %(link)s"
        )
        days = localize_digits(str(settings.PASSWORD_RESET_TIMEOUT // 86400), get_language())
        link = format_html('<code class="invitation-link" dir="ltr">{}</code>', unsent_link)
        values = {"name": conditional_escape(str(account)), "days": days, "link": link}
        # Every part is escaped (the sentence, the name, the link) before the link's markup is added.
        messages.warning(request, mark_safe(conditional_escape(str(text)) % values))  # noqa: S308


class WelcomeView(auth_views.PasswordResetConfirmView):
    """Where an invitation link leads: choose a password, then sign in."""

    template_name = "accounts/welcome.html"
    success_url = reverse_lazy("admin:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(Action.PASSWORD_SET, by=form.user, obj=form.user, request=self.request, through="invitation")
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response
