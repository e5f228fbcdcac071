"""Make an API key for a subscriber, for scripted set-up. The key is printed once, alone on the
last line of the output, and never stored."""

from django.core.management.base import BaseCommand, CommandError

from newswire import keys
from newswire.models import Subscriber


class Command(BaseCommand):
    help = 'Make an API key for a subscriber: manage.py create_api_key "<subscriber name>" [--name NAME].'

    def add_arguments(self, parser):
        parser.add_argument("subscriber", help="the subscriber's name, exactly as in the admin")
        parser.add_argument("--name", default="", help="what the key is for (default: “made by create_api_key”)")

    def handle(self, *args, subscriber, name, **options):
        outlet = Subscriber.objects.filter(name=subscriber).first()
        if outlet is None:
            known = ", ".join(Subscriber.objects.values_list("name", flat=True)[:20]) or "none yet"
            raise CommandError(f"No subscriber is named “{subscriber}”. Subscribers: {known}.")
        row, key = keys.make_key(outlet, name or "made by create_api_key")
        self.stderr.write(
            f"Key “{row.name}” made for {outlet.name}. It is shown this once: store it now. "
            f"Send it as “Authorization: Bearer <key>”."
        )
        self.stdout.write(key)
