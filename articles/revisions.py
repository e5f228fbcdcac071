"""Revisions: a JSON snapshot of every field of a story on every save; optimistic locking; diff; restore.

Saving an edit is `editing.save_edit()`, which writes the revision; `restore()` goes through it.
"""

import difflib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import audit

from .arabic import format_datetime
from .models import Article, Revision, Status, Urgency

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_FIELDS = ("headline", "deck", "summary", "body", "dateline")
PLAIN_FIELDS = ("slug", "section_id", "credit_id", "lead_image_id", "urgency", "is_featured", "status")
# Fields a restore brings back besides section, credit, lead image and (until published) slug.
RESTORABLE = [f"{name}_{lang}" for name in TRANSLATED_FIELDS for lang in LANGUAGES] + ["urgency", "is_featured"]


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
    data["corrections"] = [
        {f"text_{lang}": getattr(c, f"text_{lang}") or "" for lang in LANGUAGES}
        for c in article.corrections.order_by("created_at", "id")
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


def restore(article: Article, revision: Revision, by, loaded_version: int) -> Revision | None:
    """Bring back a revision's text and relations through `editing.save_edit()`, as a new revision.

    The story keeps its state, its address once published, its time if it is published, and its
    corrections (a correction stays on the record). `loaded_version` is the version the person
    saw when they chose to restore: a newer save since refuses the restore with `EditConflict`.
    Returns None when the story already reads like the revision.
    """
    from . import editing

    data = revision.snapshot
    fields = {name: data[name] for name in RESTORABLE if name in data}
    fields.update({name: data[f"{name}_id"] for name in ("section", "credit", "lead_image") if f"{name}_id" in data})
    if "slug" in data:
        fields["slug"] = data["slug"]
    fields = {name: value for name, value in fields.items() if name not in editing.fixed_fields(article)}
    edit = editing.Edit(
        fields=fields,
        tags=data.get("tags", []),
        authors=data.get("authors", []),
        attributions=[editing.Citation(**item) for item in data.get("attributions", [])],
    )
    new = editing.save_edit(
        article,
        by,
        edit,
        loaded_version=loaded_version,
        note=_("Restored revision #%(number)s") % {"number": revision.number},
    )
    if new is not None:
        audit.record("story_restored", by=by, obj=article, restored=revision.number, revision=new.number)
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


_BLOCK_START = re.compile(r"<(h2|h3|blockquote|li)\b[^>]*>", re.IGNORECASE)


def _block_mark(tag: str) -> str:
    """What a block is, written before its words, so turning a paragraph into a subheading (or a
    quote, or a list item) shows in the comparison as a word added or removed."""
    marks = {"h2": _("subheading"), "h3": _("minor subheading"), "blockquote": _("quote")}
    tag = tag.lower()
    return f"[{marks[tag]}] " if tag in marks else "• "


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "، ".join(str(item) for item in value)
    text = str(value)
    if "<" in text:
        text = _BLOCK_START.sub(lambda match: "\n" + _block_mark(match.group(1)), text)
        text = strip_tags(_BLOCK_END.sub("\n", text))
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
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
        "corrections": _("corrections"),
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
    if field == "corrections":
        return "\n".join(item.get("text_ar", "") for item in value)
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
        "corrections",
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
        before_text, after_text = _describe(field, before, user), _describe(field, after, user)
        if before_text == after_text:
            # Nothing this person may see changed (say, only the source behind an anonymous
            # attribution): listing the field would tell them that much.
            continue
        direction = "ltr" if field.endswith("_en") or field == "slug" else "rtl"
        result.append(FieldDiff(field, _field_label(field), direction, word_diff(before_text, after_text)))
    return result
