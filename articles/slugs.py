"""Unique, readable Arabic slugs. A story's slug is fixed once it has been published."""

from django.db import models

from .arabic import slugify


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, max_length: int = 100) -> str:
    base = slugify(text, max_length=max_length - 6) or model._meta.model_name
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def refresh_article_slug(article) -> None:
    """Follow the Arabic headline until first publication; after that the public URL never moves."""
    if article.first_published_at is not None and article.slug:
        return
    wanted = slugify(article.headline_ar, max_length=94)
    if article.slug and (article.slug == wanted or article.slug.startswith(f"{wanted}-")):
        return
    article.slug = unique_slug(type(article), article.headline_ar, exclude_pk=article.pk)
