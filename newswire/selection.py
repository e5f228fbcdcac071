"""What a subscriber receives: the union of its products, on the newsroom's one definition of
what may be delivered (`Article.objects.deliverable()`).

A story belongs to a product when it is at least as urgent as the product asks and is in one of
its sections (or their subsections) or carries one of its tags; a product with neither sections
nor tags takes every story. Usable versions go only while the story is deliverable (published,
due, in the language; embargoed ones included, marked so); a kill notice goes wherever the story
itself would.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.models import Article

from .models import Delivery, ItemVersion, Product, PubStatus, Subscriber


def product_q(product: Product) -> Q:
    """The stories of a product, as a filter on Article. Call with sections and tags prefetched."""
    q = Q(urgency__lte=product.min_urgency)
    sections = [section.pk for section in product.sections.all()]
    tags = [tag.pk for tag in product.tags.all()]
    topics = Q()
    if sections:
        topics |= Q(section__in=sections) | Q(section__parent__in=sections)
    if tags:
        topics |= Q(tags__in=tags)
    return q & topics if topics else q


def products_of(subscriber: Subscriber) -> list[Product]:
    return list(subscriber.products.prefetch_related("sections", "tags"))


def versions_q(products: Iterable[Product]) -> Q:
    """The item versions these products let through, as a filter on ItemVersion. Nothing when no products."""
    allowed = Q(pk__in=[])
    for product in products:
        match = product_q(product)
        for language in product.language_codes:
            usable = Article.objects.deliverable(language).filter(match, pk=OuterRef("article_id"))
            exists = Article.objects.filter(match, pk=OuterRef("article_id"))
            allowed |= Q(language=language) & (
                (Q(pubstatus=PubStatus.USABLE) & Exists(usable)) | (Q(pubstatus=PubStatus.CANCELED) & Exists(exists))
            )
    return allowed


def released_for(products: Iterable[Product]) -> QuerySet[ItemVersion]:
    """Released versions a subscriber with these products may have, oldest first."""
    return ItemVersion.objects.filter(versions_q(products), sequence__isnull=False).order_by("sequence")


def subscribers_for(version: ItemVersion) -> list[Subscriber]:
    """Active subscribers with a webhook whose products let this version through; for a kill
    notice, also every one that was sent the story before, whatever its products say now."""
    candidates = (
        Subscriber.objects.filter(is_active=True)
        .exclude(webhook_url="")
        .prefetch_related("products__sections", "products__tags")
    )
    received = set()
    if version.pubstatus == PubStatus.CANCELED:
        received = set(
            candidates.filter(
                deliveries__item__article_id=version.article_id,
                deliveries__item__language=version.language,
                deliveries__state=Delivery.State.DELIVERED,
            ).values_list("pk", flat=True)
        )
    chosen = []
    for subscriber in candidates:
        products = list(subscriber.products.all())
        if subscriber.pk in received or (
            products and ItemVersion.objects.filter(versions_q(products), pk=version.pk).exists()
        ):
            chosen.append(subscriber)
    return chosen
