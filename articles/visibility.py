"""The one definition of what readers may see.

Every public surface (pages, listings, search, feeds, sitemaps, the API, related stories, counts)
starts from `Article.objects.public(language)`. Any other status or time filter on a public path
is a bug.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def public_q(language: str = "ar", now=None) -> Q:
    """Published, due (a time comparison, so scheduled stories need no job), and in the language."""
    now = now or timezone.now()
    q = Q(status="published", publish_at__lte=now)
    if language != "ar":
        q &= ~Q(**{f"headline_{language}": ""}) & Q(**{f"headline_{language}__isnull": False})
        q &= ~Q(**{f"body_{language}": ""}) & Q(**{f"body_{language}__isnull": False})
    return q


class ArticleQuerySet(models.QuerySet):
    def public(self, language: str = "ar", now=None):
        return self.filter(public_q(language, now))
