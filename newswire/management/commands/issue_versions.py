"""Give every published story that has none its first delivered version (stories published before
the newswire existed, or made by generate_articles), numbered for the API and pushed to nobody.
Idempotent."""

import time

from django.core.management.base import BaseCommand

from newswire import versions


class Command(BaseCommand):
    help = "Issue version 1 of every published story without a delivered version (no pushes are sent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        made = versions.backfill(max(1, batch_size))
        self.stdout.write(f"Issued version 1 of {made} stories in {time.monotonic() - started:.1f} s.")
