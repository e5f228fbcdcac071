"""Signing staff in for tests, past the second factor.

- `client.force_login(user)` gives a session already verified by a second factor (an autouse
  fixture in conftest.py patches it): anyone who must use two-factor sign-in gets an authenticator
  device made for them, as if they had signed in with its code. Tests of two-factor sign-in itself
  post to the login pages instead (`sign_in()` below) and get the real flow.
- `current_code(user)` is the code an authenticator app would show now.
- `browser_sign_in(page, base_url, username, password, user=None)` signs in through the real
  login form in a browser, typing a current code when the account asks for one.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor


def authenticator(user) -> TOTPDevice:
    """The person's confirmed authenticator, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=second_factor.APP_DEVICE, confirmed=True)


def current_code(user_or_device, offset: int = 0) -> str:
    device = user_or_device if isinstance(user_or_device, TOTPDevice) else authenticator(user_or_device)
    # offset in steps of 30 s: the code for the next window cannot have been used yet (a device
    # refuses a code it already accepted), and django-otp accepts one step of drift.
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def verify_session(client, user) -> None:
    """Mark the client's signed-in session as verified by the user's authenticator."""
    if not (second_factor.required(user) or second_factor.enrolled(user)):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def sign_in(client, username, password, code=None):
    """The real flow through the login pages; returns the last response."""
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    if code is not None and response.status_code == 302 and "sign-in/code" in response["Location"]:
        response = client.post(reverse("account-sign-in-code"), {"code": code})
    return response


def browser_sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}{reverse('admin:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    if "/sign-in/code/" in page.url:
        user = get_user_model().objects.get(username=username)
        page.fill("#id_code", current_code(user, offset=1))
        page.click("input[type=submit]")
