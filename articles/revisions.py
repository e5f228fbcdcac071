"""Revisions: a JSON snapshot of every field of a story on every save; optimistic locking; diff; restore.

A save goes: `lock_for_save()` (inside the request's transaction, before anything is written) →
the story and its relations are saved → `record_save()`. Restores use the same path.
"""

import difflib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .arabic import format_datetime
from .models import Article, Attribution, Byline, Revision, Status, Urgency

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_FIELDS = ("headline", "deck", "summary", "body", "dateline")
PLAIN_FIELDS = ("slug", "section_id", "credit_id", "lead_image_id", "urgency", "is_featured", "status")
# Fields a restore brings back; state, slug of a published story and bookkeeping stay as they are.
RESTORABLE = [f"{name}_{lang}" for name in TRANSLATED_FIELDS for lang in LANGUAGES] + [
    "section_id",
    "credit_id",
    "lead_image_id",
    "urgency",
    "is_featured",
]


def snapshot(article: Article) -> dict:
    """Everything a reader or editor could see change, in both languages, as JSON-safe data."""
    data = {
        f"{name}_{lang}": getattr(article, f"{name}_{lang}") or "" for name in TRANSLATED_FIELDS for lang in LANGUAGES
    }
    data.update({name: getattr(article, name) for name in PLAIN_FIELDS})
    # UTC, so the same instant always reads the same and never shows up as a change.
    for name in ("publish_at", "embargo_until"):
        value = getattr(article, name)
        data[name] = value.astimezone(UTC).isoformat() if value else None
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


@dataclass
class EditConflict(Exception):
    """Someone saved the story after this person loaded it."""

    current: Article
    loaded_version: int
    latest: Revision | None

    def message(self) -> str:
        if self.latest is None:
            return _("This story was changed after you opened it. Your text is kept below; review it and save again.")
        return _(
            "%(name)s saved this story at %(time)s, after you opened it. Nothing was saved: your text is kept "
            "below and the changes made meanwhile are shown. Review them, then save again."
        ) % {
            "name": str(self.latest.author or _("someone")),
            "time": format_datetime(self.latest.created_at, get_language()),
        }

    def changes_meanwhile(self, user=None) -> list["FieldDiff"]:
        """What changed between the version this person loaded and the current one."""
        base = (
            Revision.objects.filter(article=self.current, snapshot__version=self.loaded_version)
            .order_by("-number")
            .first()
        )
        if base is None or self.latest is None:
            return []
        return diff(base.snapshot, self.latest.snapshot, user=user)


def lock_for_save(article_pk: int, loaded_version: int) -> Article:
    """Lock the story's row until the surrounding transaction ends; refuse a save based on an old version.

    Call inside the transaction that will save the story. Two people saving at once: the second
    waits for the first's commit, then sees the new version and gets `EditConflict`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_save() must run inside the transaction that saves the story")
    current = Article.objects.select_for_update().get(pk=article_pk)
    if current.version != loaded_version:
        latest = Revision.objects.filter(article=current).select_related("author").order_by("-number").first()
        raise EditConflict(current, loaded_version, latest)
    return current


def record_save(article: Article, by, note: str = "") -> Revision:
    """After the story and its relations are saved: its revision, search document and cache purge."""
    from . import cache, search

    revision = save_revision(article, by, note)
    search.update_document(article)
    if article.status == Status.PUBLISHED:
        transaction.on_commit(lambda: cache.invalidate_article(article))
    return revision


def restore(article: Article, revision: Revision, by, loaded_version: int | None = None) -> Revision:
    """Bring back a revision's text and relations as a new revision. The story keeps its state.

    `loaded_version` is the version the person saw when they chose to restore (default: the one
    `article` carries); a newer save since then refuses the restore with `EditConflict`.
    """
    with transaction.atomic():
        current = lock_for_save(article.pk, article.version if loaded_version is None else loaded_version)
        data = revision.snapshot
        for field in RESTORABLE:
            if field in data:
                setattr(current, field, data[field])
        if current.first_published_at is None and data.get("slug"):
            current.slug = data["slug"]
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        current.tags.set(data.get("tags", []))
        Byline.objects.filter(article=current).delete()
        Byline.objects.bulk_create(
            Byline(article=current, author_id=author_id, position=position)
            for position, author_id in enumerate(data.get("authors", []))
        )
        Attribution.objects.filter(article=current).delete()
        Attribution.objects.bulk_create(
            Attribution(article=current, position=position, **attribution)
            for position, attribution in enumerate(data.get("attributions", []))
        )
        new = record_save(current, by, note=_("Restored revision #%(number)s") % {"number": revision.number})
    for field in [*RESTORABLE, "slug", "version", "updated_at"]:
        setattr(article, field, getattr(current, field))
    return new


# Diffs -----------------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")
_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote)>", re.IGNORECASE)


@dataclass
class FieldDiff:
    field: str
    label: str
    direction: str  # "rtl" or "ltr": how the compared text reads
    html: str  # escaped text with <del>/<ins> around changed words


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "، ".join(str(item) for item in value)
    text = str(value)
    if "<" in text:
        text = strip_tags(_BLOCK_END.sub("\n", text))
    return html.unescape(text).strip()


def word_diff(old: str, new: str) -> str:
    """Word-level diff as HTML; each run of changed words in one <del> or <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out).replace("\n", "<br>")


def _field_label(field: str) -> str:
    from .models import Article as Model

    name, _sep, lang = field.rpartition("_")
    if lang in LANGUAGES and name in TRANSLATED_FIELDS:
        label = str(Model._meta.get_field(name).verbose_name)
        return f"{label} ({_('Arabic') if lang == 'ar' else _('English')})"
    labels = {
        "tags": _("tags"),
        "authors": _("authors"),
        "attributions": _("sources cited in the story"),
        "section_id": _("section"),
        "credit_id": _("credit"),
        "lead_image_id": _("lead image"),
        "urgency": _("urgency"),
        "is_featured": _("featured"),
        "publish_at": _("publish at"),
        "embargo_until": _("embargo until"),
        "slug": _("slug"),
        "status": _("status"),
    }
    return str(labels.get(field, field))


def _describe(field: str, value, user) -> str:
    """Readable values for ids and lists; anonymous sources masked for people without the right."""
    from django.contrib.auth import get_user_model

    from .models import Image, Section, Source

    if value in (None, "", []):
        return ""
    if field == "section_id":
        return str(Section.objects.filter(pk=value).first() or value)
    if field == "credit_id":
        return str(Source.objects.filter(pk=value).first() or value)
    if field == "lead_image_id":
        return str(Image.objects.filter(pk=value).first() or value)
    if field == "authors":
        people = get_user_model().objects.in_bulk(value)
        return "، ".join(str(people.get(pk, pk)) for pk in value)
    if field == "attributions":
        can_see = user is None or user.has_perm("articles.view_source_identity")
        sources = Source.objects.in_bulk([item["source_id"] for item in value])
        parts = []
        for item in value:
            text = item.get("description_ar", "")
            if not item.get("is_anonymous") or can_see:
                text = f"{sources.get(item['source_id'], item['source_id'])}: {text}"
            parts.append(text)
        return "\n".join(parts)
    if field in ("publish_at", "embargo_until"):
        return format_datetime(datetime.fromisoformat(value), get_language())
    if field == "urgency":
        return str(Urgency(value).label) if value in Urgency.values else str(value)
    if field == "status":
        return str(Status(value).label) if value in Status.values else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _text(value)


def diff(old: dict, new: dict, user=None) -> list[FieldDiff]:
    """The fields that differ between two snapshots, each as a word-level diff."""
    order = [f"{name}_{lang}" for lang in LANGUAGES for name in TRANSLATED_FIELDS] + [
        "section_id",
        "credit_id",
        "tags",
        "authors",
        "attributions",
        "lead_image_id",
        "urgency",
        "is_featured",
        "publish_at",
        "embargo_until",
        "slug",
        "status",
    ]
    result = []
    for field in order:
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        direction = "ltr" if field.endswith("_en") or field == "slug" else "rtl"
        result.append(
            FieldDiff(
                field,
                _field_label(field),
                direction,
                word_diff(_describe(field, before, user), _describe(field, after, user)),
            )
        )
    return result
