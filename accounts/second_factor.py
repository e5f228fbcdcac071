"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and single-use recovery codes.

Who must use it is decided by a permission, never a group name: whoever may publish (editors,
chief editors, anyone given that right) must; everyone else may. The admin lets a session in when
it was verified by a device, or when its person needs none and has none (`satisfied()`).
"""

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

import audit
from audit.actions import Action

REQUIRED_FOR = "articles.publish_article"
RECOVERY_CODES = 10
APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery"


def required(user) -> bool:
    return user.has_perm(REQUIRED_FOR)


def enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def satisfied(request: HttpRequest) -> bool:
    """Whether this signed-in session has done all the second factor its person needs."""
    user = request.user
    # is_verified comes from django-otp's middleware; a request built without it is not verified.
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified()) or not required(user)


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: the same one until it is confirmed, so a reload keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps set up by typing instead of scanning."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _clean(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def confirm(device: TOTPDevice, token: str, request: HttpRequest | None = None) -> list[str] | None:
    """Confirm a new authenticator with its first code; returns fresh recovery codes, or None if wrong.

    Replaces any earlier authenticator and recovery codes of the same person.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_clean(token)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        codes = _new_recovery_codes(device.user)
        audit.record(Action.SECOND_FACTOR_ENROLLED, by=device.user, obj=device.user, request=request)
    return codes


def verify(user, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `token` (a current app code or an unused recovery code), if any.

    django-otp throttles each device after wrong codes, and a recovery code is spent on use.
    """
    token = _clean(token)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def new_recovery_codes(user, request: HttpRequest | None = None) -> list[str]:
    """Replace a person's recovery codes (the old ones stop working); only for someone enrolled."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record(Action.RECOVERY_CODES_MADE, by=user, obj=user, request=request)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(account, by, request: HttpRequest | None = None) -> None:
    """Remove every second factor of `account` (a lost phone): they set one up at their next sign-in.

    The caller checks that `by` may act on `account` (accounts.rights). Sessions verified by the
    removed devices lose their verification at their next request (django-otp's middleware).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        audit.record(Action.SECOND_FACTOR_RESET, by=by, obj=account, request=request)
