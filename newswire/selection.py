"""What a subscriber receives: the union of its products, on the newsroom's one definition of
what may be delivered (`Article.objects.deliverable()`).

A story belongs to a product when it is at least as urgent as the product asks and is in one of
its sections (or their subsections) or carries one of its tags; a product with neither sections
nor tags takes every story. Usable versions go only while the story is deliverable (published,
due, in the language; embargoed ones included, marked so); a kill notice goes wherever the story
itself would.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from articles.models import TaggedArticle
from articles.visibility import deliverable_q

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
        # A subquery, not a join: a story with two of the tags is still one story.
        topics |= Q(pk__in=TaggedArticle.objects.filter(tag__in=tags).values("content_object_id"))
    return q & topics if topics else q


def products_of(subscriber: Subscriber) -> list[Product]:
    return list(subscriber.products.prefetch_related("sections", "tags"))


def _through_article(q: Q) -> Q:
    """A filter on Article as a filter on ItemVersion, through its `article` (a join, so that a
    page of versions in sequence order looks up just its own stories)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        _through_article(child) if isinstance(child, Q) else (f"article__{child[0]}", child[1])
        for child in q.children
    ]
    return clone


def versions_q(products: Iterable[Product]) -> Q:
    """The item versions these products let through, as a filter on ItemVersion. Nothing when no products."""
    allowed = Q(pk__in=[])
    for product in products:
        match = product_q(product)
        for language in product.language_codes:
            usable = Q(pubstatus=PubStatus.USABLE) & _through_article(deliverable_q(language) & match)
            canceled = Q(pubstatus=PubStatus.CANCELED) & _through_article(match)
            allowed |= Q(language=language) & (usable | canceled)
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
