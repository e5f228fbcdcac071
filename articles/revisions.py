"""Revisions: a JSON snapshot of every field of a story, written on every save."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .models import Article, Revision

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_FIELDS = ("headline", "deck", "summary", "body", "dateline")
PLAIN_FIELDS = ("slug", "section_id", "credit_id", "lead_image_id", "is_breaking", "is_featured", "status")


def snapshot(article: Article) -> dict:
    """Everything a reader or editor could see change, in both languages, as JSON-safe data."""
    data = {
        f"{name}_{lang}": getattr(article, f"{name}_{lang}") or "" for name in TRANSLATED_FIELDS for lang in LANGUAGES
    }
    data.update({name: getattr(article, name) for name in PLAIN_FIELDS})
    data["publish_at"] = article.publish_at.isoformat() if article.publish_at else None
    data["version"] = article.version
    data["tags"] = sorted(article.tags.values_list("name", flat=True))
    data["authors"] = list(article.bylines.order_by("position", "id").values_list("author_id", flat=True))
    data["attributions"] = [
        {
            "source_id": a.source_id,
            **{f"description_{lang}": getattr(a, f"description_{lang}") or "" for lang in LANGUAGES},
            "is_anonymous": a.is_anonymous,
        }
        for a in article.attributions.order_by("position", "id")
    ]
    return data


def save_revision(article: Article, by, note: str = "") -> Revision:
    """Record the story as it now stands. Call after the story and its relations are saved."""
    with transaction.atomic():
        last = Revision.objects.filter(article=article).aggregate(n=Max("number"))["n"] or 0
        return Revision.objects.create(
            article=article, number=last + 1, author=by, snapshot=snapshot(article), note=note
        )
