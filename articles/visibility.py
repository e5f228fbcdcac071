"""The one definition of what readers may see, and of what subscribers may receive.

Every public surface (pages, listings, search, feeds, sitemaps, related stories, counts) starts
from `Article.objects.public(language)`; the newswire API starts from
`Article.objects.deliverable(language)`, built on the same terms. Any other status or time filter
on a public path is a bug.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def language_q(language: str) -> Q:
    """Has the story text in this language (Arabic always does)."""
    if language == "ar":
        return Q()
    return (
        ~Q(**{f"headline_{language}": ""})
        & Q(**{f"headline_{language}__isnull": False})
        & ~Q(**{f"body_{language}": ""})
        & Q(**{f"body_{language}__isnull": False})
    )


def has_language(article, language: str) -> bool:
    """`language_q(language)` read on a story already loaded, so a public story's page knows
    whether its other edition is public without asking PostgreSQL again: the edition's other
    terms (state, time, embargo) are the same in every language."""
    if language == "ar":
        return True
    return bool(getattr(article, f"headline_{language}")) and bool(getattr(article, f"body_{language}"))


def deliverable_q(language: str = "ar", now=None) -> Q:
    """Published, due and in the language, whatever its embargo: what subscribers may receive.

    A story under embargo is delivered early, marked embargoed; a scheduled one (publish_at still
    to come) is not, and neither is a killed one.
    """
    now = now or timezone.now()
    return Q(status="published", publish_at__lte=now) & language_q(language)


def public_q(language: str = "ar", now=None) -> Q:
    """Deliverable and past any embargo: a time comparison, so neither schedule nor embargo needs a job."""
    now = now or timezone.now()
    return deliverable_q(language, now) & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))


class ArticleQuerySet(models.QuerySet):
    def public(self, language: str = "ar", now=None):
        return self.filter(public_q(language, now))

    def deliverable(self, language: str = "ar", now=None):
        return self.filter(deliverable_q(language, now))
