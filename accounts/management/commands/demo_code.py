from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEVICE_NAME, current_code


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo account's authenticator (made by load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, name=DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator (only load_demo's staff have one).")
        self.stdout.write(current_code(device))
