"""Signing in to the admin: password, then the second factor, then the session.

A correct password does not sign anyone in by itself. It starts a pending sign-in (the account and
the time, in the session) that the next step completes: the code from the person's authenticator
app or a recovery code, or — for someone who must use two-factor sign-in and has not set it up —
setting it up there and then. Only `sign_in()` calls `django.contrib.auth.login`, so a half
signed-in person is anonymous to every view.

django-axes counts wrong passwords per account and address (its backend refuses a locked pair
before any password is compared; `locked_out()` draws the page). Wrong codes are throttled per
device by django-otp.
"""

import time

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

import audit
from articles.arabic import localize_digits
from audit.actions import Action

from . import second_factor

PENDING = "newsroom_pending_sign_in"
PENDING_SECONDS = 10 * 60
RECOVERY_CODES_TO_SHOW = "newsroom_recovery_codes"
AFTER_CODES = "newsroom_after_recovery_codes"
IDLE_SIGNED_OUT = "newsroom_idle_signed_out"


class PasswordForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not right. Check them (letters are case-sensitive) and try again."
        ),
        "no_role": _(
            "Your password is right, but this account has no role in the newsroom yet. Ask a chief editor to give "
            "it one."
        ),
        "locked": _(
            "Too many wrong passwords for this account from your address. For your safety, sign-in is "
            "paused for %(minutes)s minutes; a chief editor can lift the lock sooner."
        ),
    }


    def confirm_login_allowed(self, user):
        # Django's admin says "enter the correct password for a staff account", which sends people
        # hunting for a typo that is not there.
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["no_role"], code="no_role")
        super().confirm_login_allowed(user)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "dir": "ltr"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("admin:index")


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def sign_in(request: HttpRequest, user, device=None, method: str = "password") -> str:
    """Sign `user` in (with the device that verified them, if any); returns where they were going."""
    destination = request.session.get(PENDING, {}).get("next") or _next_url(request)
    request.session.pop(PENDING, None)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    audit.record(Action.LOGIN, by=user, obj=user, request=request, second_factor=method)
    return destination


def _context(request: HttpRequest, site, title, **extra) -> dict:
    return {**site.each_context(request), "title": title, "site_header": site.site_header, **extra}


def login(request: HttpRequest, site) -> HttpResponse:
    """The admin site's login page (first step: the password)."""
    if request.user.is_authenticated and site.has_permission(request):
        return redirect(_next_url(request))
    form = PasswordForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": _next_url(request)}
        if second_factor.enrolled(user):
            return redirect("account-sign-in-code")
        if second_factor.required(user):
            return redirect("account-sign-in-enrol")
        return redirect(sign_in(request, user))
    context = _context(
        request,
        site,
        _("Sign in"),
        form=form,
        next=_next_url(request),
        idle_signed_out=request.session.pop(IDLE_SIGNED_OUT, False),
    )
    return TemplateResponse(request, "accounts/login.html", context)


def locked_out(request: HttpRequest, response=None, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes' answer to a sign-in from a locked account and address: the login page, saying so.

    The form is not validated again (that would be one more failed sign-in); it keeps the name typed.
    """
    form = PasswordForm(request, initial={"username": request.POST.get("username", "")})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = _context(
        request,
        admin.site,
        _("Sign in"),
        form=form,
        next=_next_url(request),
        lock_message=PasswordForm.error_messages["locked"]
        % {"minutes": localize_digits(str(minutes), get_language())},
    )
    return TemplateResponse(request, "accounts/login.html", context, status=429).render()


@never_cache
@sensitive_post_parameters()
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Second step for someone with two-factor sign-in set up."""
    user = _pending_user(request)
    if user is None:
        return _start_again(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            method = "recovery_code" if device.name == second_factor.RECOVERY_DEVICE else "authenticator"
            return redirect(sign_in(request, user, device, method))
        audit.record(Action.SECOND_FACTOR_FAILED, obj=user, request=request, username=user.get_username())
        form.add_error(
            "code",
            _(
                "This code is not right, or has been used. Enter the code your app shows now (it changes "
                "every 30 seconds), or an unused recovery code."
            ),
        )
    context = _context(request, admin.site, _("Sign-in code"), form=form, person=user)
    return TemplateResponse(request, "accounts/sign_in_code.html", context)


def _start_again(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.info(request, _("Your sign-in took too long or was not started. Please sign in again."))
    return redirect("admin:login")


@never_cache
@sensitive_post_parameters()
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: during sign-in for those who must, or later for anyone signed in."""
    signed_in = request.user.is_authenticated and admin.site.has_permission(request)
    user = request.user if signed_in else _pending_user(request)
    if user is None:
        return _start_again(request)
    device = second_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm(device, form.cleaned_data["code"], request)
        if codes is not None:
            device.refresh_from_db()
            if signed_in:
                otp_login(request, device)
                destination = reverse("account-security")
            else:
                destination = sign_in(request, user, device, "authenticator")
            request.session[RECOVERY_CODES_TO_SHOW] = codes
            request.session[AFTER_CODES] = destination
            return redirect("account-recovery-codes")
        form.add_error(
            "code",
            _("This code is not right. Check that the app shows “Telescope Newsroom” and type its current code."),
        )
    context = _context(
        request,
        admin.site,
        _("Set up two-factor sign-in"),
        form=form,
        person=user,
        qr_svg=second_factor.qr_svg(device),
        secret=second_factor.secret_for_typing(device),
        required=second_factor.required(user),
    )
    return TemplateResponse(request, "accounts/enrol.html", context)


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly made recovery codes once; a reload shows them no more."""
    codes = request.session.pop(RECOVERY_CODES_TO_SHOW, None)
    if not codes:
        return redirect("account-security")
    context = _context(
        request,
        admin.site,
        _("Your recovery codes"),
        codes=codes,
        continue_to=request.session.pop(AFTER_CODES, None) or reverse("admin:index"),
    )
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


def security(request: HttpRequest) -> HttpResponse:
    """A person's own two-factor sign-in: its state, setting it up, new recovery codes."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "new-codes" and second_factor.enrolled(user):
        request.session[RECOVERY_CODES_TO_SHOW] = second_factor.new_recovery_codes(user, request)
        request.session[AFTER_CODES] = reverse("account-security")
        return redirect("account-recovery-codes")
    context = _context(
        request,
        admin.site,
        _("Two-factor sign-in"),
        enrolled=second_factor.enrolled(user),
        required=second_factor.required(user),
        remaining=second_factor.remaining_recovery_codes(user),
    )
    return TemplateResponse(request, "accounts/security.html", context)
