"""Saving an edit of a story: `save_edit()` is to edits what `workflow.transition()` is to moves.

The admin's form validates what was typed and describes it as an `Edit`; `save_edit()` does the
rest in one transaction: lock the story's row, check the version the person loaded, apply the
fields and relations, and only when something changed write the new version and its revision,
refresh the search document and register the cache purge for after the commit.
`revisions.restore()` takes the same path; `create_story()` writes a new draft the same way.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit

from . import inputs, permissions, revisions, richtext, slugs
from .models import Article, Attribution, Byline, Correction, Revision, Source, Status

LANGUAGES = revisions.LANGUAGES
# Text readers see as text, cleaned by inputs.clean_text(); the body is rich text (richtext.sanitize()).
ONE_LINE_TEXT = ("headline", "dateline")
MULTILINE_TEXT = ("deck", "summary")
EDITABLE_FIELDS = frozenset(
    [f"{name}_{lang}" for name in (*ONE_LINE_TEXT, *MULTILINE_TEXT, "body") for lang in LANGUAGES]
    + ["section", "credit", "lead_image", "urgency", "is_featured", "publish_at", "embargo_until", "slug"]
)


@dataclass(frozen=True)
class Citation:
    """One attribution as an edit gives it."""

    source_id: int
    description_ar: str
    description_en: str = ""
    is_anonymous: bool = False


@dataclass(frozen=True)
class CorrectionText:
    text_ar: str
    text_en: str = ""
    # An existing correction of the story, kept (with its date and author) and updated; None: a new one.
    id: int | None = None


@dataclass
class Edit:
    """What one save sets. A relation left as None stays as it is; a list replaces it whole."""

    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] | None = None
    authors: list[int] | None = None  # bylines, in order
    attributions: list[Citation] | None = None
    corrections: list[CorrectionText] | None = None


def fixed_fields(article: Article) -> frozenset[str]:
    """Fields no edit may change in the story's present state.

    The slug is the public address from the first publication on. When a published story goes
    (or went) public changes only by the "reschedule" move, which leaves a row in its history; its
    embargo is fixed too, or a save could hide a live story from readers without any record.
    """
    fixed = set()
    if article.first_published_at is not None:
        fixed.add("slug")
    if article.status == Status.PUBLISHED:
        fixed |= {"publish_at", "embargo_until"}
    return frozenset(fixed)


_FIXED_MESSAGES = {
    "publish_at": gettext_lazy("This story is published: change its time with “Reschedule”, which records the change."),
    "slug": gettext_lazy("The address of a story is fixed once it has been published."),
    "embargo_until": gettext_lazy(
        "This story is published: its embargo can no longer change here. Unpublish it first if it must wait."
    ),
}


def check(article: Article, edit: Edit) -> None:
    """Refuse (`ValidationError`, by field) an edit the story's present state does not allow."""
    errors = {}
    for name in sorted(fixed_fields(article) & edit.fields.keys()):
        if _stored(name, edit.fields[name]) != getattr(article, Article._meta.get_field(name).attname):
            errors[name] = _FIXED_MESSAGES[name]
    if article.first_published_at is None and any(c.id is None for c in edit.corrections or []):
        errors["corrections"] = _("A correction corrects something readers saw: this story has not been published.")
    if errors:
        raise ValidationError(errors)


def check_version(current: Article, loaded_version: int) -> None:
    """Refuse an edit made on any version but the current one (`revisions.EditConflict`)."""
    if loaded_version != current.version:
        latest = Revision.objects.filter(article=current).select_related("author").order_by("-number").first()
        raise revisions.EditConflict(current, loaded_version, latest)


def save_edit(article: Article, by, edit: Edit, *, loaded_version: int, note: str = "") -> Revision | None:
    """Save one edit of a story, all or nothing; its revision, or None when nothing changed.

    Locks the story's row; refuses an edit made on another version than the current one
    (`revisions.EditConflict`), one the person may not make (`PermissionDenied`) or one the
    story's state does not allow (`ValidationError`). Applies the fields and relations and, when
    anything changed, writes the new version, its revision and the search document; the cache
    purge of a published story runs once the transaction commits. A save that changes nothing
    writes nothing. On success `article` carries the saved fields and version.
    """
    from . import cache, search

    if loaded_version is None:
        raise ValidationError(_("The version of the story this edit was made on is missing."), code="no_version")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not permissions.can_edit(by, locked):
            raise PermissionDenied(_("You may not change this story."))
        check_version(locked, loaded_version)
        check(locked, edit)
        before = _comparable(revisions.snapshot(locked))
        _apply(locked, by, edit)
        if _comparable(revisions.snapshot(locked)) == before:
            return None
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        revision = revisions.save_revision(locked, by, note=note or _("Edited"))
        audit.record("story_edited", by=by, obj=locked, revision=revision.number, note=str(revision.note))
        search.update_document(locked)
        if locked.status == Status.PUBLISHED:
            transaction.on_commit(lambda: cache.invalidate_article(locked))
    for name in [f.attname for f in Article._meta.concrete_fields]:
        setattr(article, name, getattr(locked, name))
    return revision


def create_story(article: Article, by, edit: Edit) -> Revision:
    """Write `article` (unsaved) as a new draft owned by `by`, with its relations and first revision.

    The person is its first byline unless the edit names the authors.
    """
    from . import search

    if article.pk is not None or not permissions.can_edit(by, article):
        raise PermissionDenied(_("You may not write stories."))
    with transaction.atomic():
        article.created_by = by
        article.status = Status.DRAFT
        check(article, edit)
        _apply(article, by, replace(edit, authors=edit.authors or [by.pk]))
        revision = revisions.save_revision(article, by, note=_("Created"))
        audit.record("story_edited", by=by, obj=article, revision=revision.number, note=str(revision.note))
        search.update_document(article)
    return revision


# Applying an edit ---------------------------------------------------------------------------


def _stored(name: str, value):
    """A field's value as the edit stores it: ids for relations, clean text for text."""
    if isinstance(value, models.Model):
        return value.pk
    base = name.rpartition("_")[0]
    if value is not None and (base in ONE_LINE_TEXT or base in MULTILINE_TEXT):
        return inputs.clean_text(value, multiline=base in MULTILINE_TEXT)
    if base == "body":
        return richtext.sanitize(value) if value else value
    return value


def _comparable(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key != "version"}


def _apply(article: Article, by, edit: Edit) -> None:
    """Set the fields; write the relations that differ. Saves a new story, never an existing one."""
    before = (article.headline_ar, article.slug)
    for name, value in edit.fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not a field an edit may set")
        model_field = Article._meta.get_field(name)
        value = _stored(name, value)
        if model_field.is_relation and value is not None and not _exists(model_field.related_model, value):
            # An old revision may name a picture or source deleted since.
            if not model_field.null:
                raise ValidationError({name: _("This no longer exists; choose another.")})
            value = None
        setattr(article, model_field.attname, value)
    if article.pk is None or (article.headline_ar, article.slug) != before:
        # The slug follows the headline (until first publication); a save that leaves both alone
        # leaves the address alone too.
        slugs.refresh_article_slug(article)
    if article.pk is None:
        article.save()
    if edit.tags is not None:
        _set_tags(article, edit.tags)
    if edit.authors is not None:
        _set_authors(article, edit.authors)
    if edit.attributions is not None:
        _set_attributions(article, edit.attributions)
    if edit.corrections is not None:
        _set_corrections(article, by, edit.corrections)


def _set_tags(article: Article, names: list[str]) -> None:
    wanted, seen = [], set()
    for name in names:
        name = inputs.clean_text(name)[:100]
        if inputs.has_visible_text(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            wanted.append(name)
    if sorted(wanted) != sorted(article.tags.names()):
        article.tags.set(wanted)


def _exists(model: type[models.Model], pk) -> bool:
    return model._default_manager.filter(pk=pk).exists()


def _set_authors(article: Article, author_ids: list[int]) -> None:
    people = set(get_user_model().objects.filter(pk__in=author_ids).values_list("pk", flat=True))
    wanted = [pk for pk in dict.fromkeys(author_ids) if pk in people]
    current = list(article.bylines.order_by("position", "id").values_list("author_id", flat=True))
    if wanted == current:
        return
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position) for position, author_id in enumerate(wanted)
    )


def _set_attributions(article: Article, citations: list[Citation]) -> None:
    wanted = [
        Citation(
            source_id=c.source_id,
            description_ar=inputs.clean_text(c.description_ar),
            description_en=inputs.clean_text(c.description_en),
            is_anonymous=c.is_anonymous,
        )
        for c in citations
    ]
    current = [
        Citation(a.source_id, a.description_ar or "", a.description_en or "", a.is_anonymous)
        for a in article.attributions.order_by("position", "id")
    ]
    if wanted == current:
        return
    known = set(Source.objects.filter(pk__in={c.source_id for c in wanted}).values_list("pk", flat=True))
    if any(c.source_id not in known for c in wanted):
        raise ValidationError(_("A source cited in this version has since been removed from the registry."))
    article.attributions.all().delete()
    Attribution.objects.bulk_create(
        Attribution(article=article, position=position, **c.__dict__) for position, c in enumerate(wanted)
    )


def _set_corrections(article: Article, by, corrections: list[CorrectionText]) -> None:
    existing = {c.pk: c for c in article.corrections.all()}
    kept = {c.id for c in corrections if c.id is not None}
    if not kept <= existing.keys():
        raise ValidationError(_("A correction in this edit belongs to another story."))
    for pk in existing.keys() - kept:
        existing[pk].delete()
    for item in corrections:
        text_ar = inputs.clean_text(item.text_ar, multiline=True)
        text_en = inputs.clean_text(item.text_en, multiline=True)
        if item.id is None:
            Correction.objects.create(article=article, text_ar=text_ar, text_en=text_en, created_by=by)
        elif (existing[item.id].text_ar or "", existing[item.id].text_en or "") != (text_ar, text_en):
            Correction.objects.filter(pk=item.id).update(text_ar=text_ar, text_en=text_en)
