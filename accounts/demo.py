"""Two-factor sign-in for the demo's staff, so that `make run` stays usable without a phone.

`load_demo` gives each demo member of staff who must use two-factor sign-in an authenticator
device named "demo", and prints its key and otpauth:// address beside the demo logins;
`manage.py demo_code USERNAME` prints the current code of such a device. Devices people set up
themselves are never read by it.
"""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor

DEVICE_NAME = "demo"


def demo_authenticator(user) -> TOTPDevice | None:
    """The demo device of `user`, made once; None for those who need no second factor."""
    if not second_factor.required(user):
        return None
    device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
