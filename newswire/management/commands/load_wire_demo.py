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

    def handle(self, *args, **options):
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
