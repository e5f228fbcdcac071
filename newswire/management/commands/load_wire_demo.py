"""The newswire's part of the demo: the subscriber «صحيفة تجريبية» ("Demo Daily") taking the
Syria section in Arabic, and a first version for every published story. Idempotent; run after
load_demo (`make run` does)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Section
from newswire import keys, versions
from newswire.models import Product, Subscriber

SUBSCRIBER = "صحيفة تجريبية"
PRODUCT = "سوريا، بالعربية"


class Command(BaseCommand):
    help = "Add the demo subscriber «صحيفة تجريبية» with the product “Syria, Arabic”; issue missing versions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-local",
            action="store_true",
            help="What `make run` uses: only into the local database that make run found or started.",
        )

    def handle(self, *args, if_local=False, **options):
        from articles.management.commands.load_demo import is_local_database

        if if_local and not is_local_database():
            self.stdout.write("Newswire demo not loaded: this is not the local demo database.")
            return
        with transaction.atomic():
            product, made = Product.objects.get_or_create(name=PRODUCT, defaults={"languages": "ar"})
            syria = Section.objects.filter(slug="syria").first()
            if made and syria is not None:
                product.sections.add(syria)
            subscriber, _ = Subscriber.objects.get_or_create(
                name=SUBSCRIBER,
                defaults={"contact": "desk@demo-daily.example", "webhook_secret": keys.new_webhook_secret()},
            )
            if not subscriber.products.exists():
                subscriber.products.add(product)
        issued = versions.backfill()
        self.stdout.write(
            f"Newswire demo ready: subscriber «{SUBSCRIBER}» takes «{PRODUCT}»"
            + (f"; issued version 1 of {issued} earlier stories." if issued else ".")
            + f' Make it a key with: manage.py create_api_key "{SUBSCRIBER}"'
        )
