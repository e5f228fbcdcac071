"""Live coverage: a story run as a page of timestamped entries, newest first.

Editors start and end coverage and add, change and remove entries here; each change writes the
entry's revision and an audit entry in one transaction and, on a published story, makes the
workflow's "update" move, so subscribers get the change as a new version of the same story with
the entry as its note. After commit it renews the story's page-cache token (the page and its
entries feed change at once for every reader) and sends `entries_changed`.

Readers' pages poll `entries_feed()` (through the page cache, with an ETag: an unchanged feed is a
304 from the cache, no database); readers without JavaScript see the entries when they reload.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

import audit
from articles import cache, seo, workflow
from articles import permissions as story_permissions
from articles.models import Article

from . import permissions
from .models import LiveCoverage, LiveEntry, LiveEntryRevision

# Sent after commit whenever a live page's entries change (article=…): the story's subscribers
# should get it as an update of the same story.
entries_changed = Signal()

FIELDS = ("kind", "text", "image_id", "quote_by", "created_at")


def poll_seconds() -> int:
    """How often readers' pages ask for new entries."""
    return max(1, settings.LIVE_POLL_SECONDS)


def _require(by) -> None:
    if not permissions.can_run_live(by):
        raise PermissionDenied(_("You cannot run live coverage."))


def _changed(article: Article) -> None:
    def after_commit():
        # Entries show on the story's own page and its entries feed, never in listings: renew
        # that story's pages only.
        cache.shared.new_tokens(cache.story_key(article.pk))
        entries_changed.send(LiveCoverage, article=article)

    transaction.on_commit(after_commit)


# How much of an entry's text the update note for subscribers carries.
NOTE_LENGTH = 200


def _issue_update(article: Article, by, note: str) -> None:
    """Subscribers get a public live page's change as an update of the same story: the workflow's
    "update" move, which the newswire turns into a new version with this note. Call inside the
    entry's transaction. A story not published, or a person without the right to issue updates,
    changes the page only."""
    current = Article.objects.get(pk=article.pk)
    if story_permissions.can(by, "update", current):
        workflow.transition(current, "update", by, comment=note[:NOTE_LENGTH])


def start(article: Article, by) -> LiveCoverage:
    """Make the story a live page (again, if its coverage had ended)."""
    _require(by)
    with transaction.atomic():
        coverage, created = LiveCoverage.objects.select_for_update().get_or_create(
            article=article, defaults={"started_by": by}
        )
        if not created and coverage.ended_at is not None:
            coverage.ended_at = None
            coverage.save(update_fields=["ended_at"])
        audit.record("live_started", by=by, obj=article)
        _changed(article)
    return coverage


def end(article: Article, by) -> LiveCoverage:
    """Stop the coverage: the entries stay on the page, which stops polling."""
    _require(by)
    with transaction.atomic():
        coverage = LiveCoverage.objects.select_for_update().get(article=article)
        if coverage.ended_at is None:
            coverage.ended_at = timezone.now()
            coverage.save(update_fields=["ended_at"])
            audit.record("live_ended", by=by, obj=article)
            _changed(article)
    return coverage


def _check(kind: str, text: str, image) -> None:
    if kind not in LiveEntry.Kind.values:
        raise ValidationError(_("Unknown kind of entry."), code="kind")
    if kind == LiveEntry.Kind.PICTURE and image is None:
        raise ValidationError(_("Choose the picture for a picture entry."), code="picture_required")
    if kind != LiveEntry.Kind.PICTURE and not text.strip():
        raise ValidationError(_("Write the entry's text."), code="text_required")


def _snapshot(entry: LiveEntry) -> dict:
    data = {name: getattr(entry, name) for name in FIELDS}
    data["created_at"] = entry.created_at.isoformat()
    data["removed"] = entry.removed_at is not None
    return data


def _revise(entry: LiveEntry, by, note: str) -> LiveEntryRevision:
    number = entry.revisions.count() + 1
    return LiveEntryRevision.objects.create(entry=entry, number=number, by=by, snapshot=_snapshot(entry), note=note)


def add_entry(article: Article, by, *, kind: str, text: str = "", image=None, quote_by: str = "") -> LiveEntry:
    """A new entry, timestamped now, at the top of a page whose coverage is running."""
    _require(by)
    _check(kind, text, image)
    with transaction.atomic():
        coverage = LiveCoverage.objects.select_for_update().filter(article=article).first()
        if coverage is None or not coverage.is_live:
            raise ValidationError(_("This story is not running as a live page."), code="not_live")
        now = timezone.now()
        entry = LiveEntry.objects.create(
            coverage=coverage,
            kind=kind,
            text=text.strip(),
            image=image,
            quote_by=quote_by.strip(),
            author=by,
            created_at=now,
            updated_at=now,
        )
        _revise(entry, by, "added")
        audit.record("live_entry_added", by=by, obj=article, entry=entry.pk)
        _issue_update(article, by, _("Live: %(text)s") % {"text": entry.text or entry.quote_by or _("a picture")})
        _changed(article)
    return entry


def change_entry(entry: LiveEntry, by, *, loaded_version: int, kind: str, text: str, image=None, quote_by="") -> None:
    """Correct an entry. Refused when someone changed it after this person loaded it."""
    _require(by)
    _check(kind, text, image)
    with transaction.atomic():
        locked = LiveEntry.objects.select_for_update(of=("self",)).select_related("coverage__article").get(pk=entry.pk)
        if locked.version != loaded_version or locked.removed_at is not None:
            raise ValidationError(
                _("Someone changed or removed this entry after you opened it. Nothing was saved."), code="conflict"
            )
        locked.kind, locked.text, locked.image, locked.quote_by = kind, text.strip(), image, quote_by.strip()
        locked.updated_at = timezone.now()
        locked.version += 1
        locked.save()
        _revise(locked, by, "changed")
        audit.record("live_entry_changed", by=by, obj=locked.coverage.article, entry=locked.pk)
        _issue_update(locked.coverage.article, by, _("Live entry corrected: %(text)s") % {"text": locked.text})
        _changed(locked.coverage.article)


def remove_entry(entry: LiveEntry, by) -> None:
    """Take an entry off the page; its revisions stay."""
    _require(by)
    with transaction.atomic():
        locked = LiveEntry.objects.select_for_update(of=("self",)).select_related("coverage__article").get(pk=entry.pk)
        if locked.removed_at is not None:
            return
        locked.removed_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["removed_at", "version"])
        _revise(locked, by, "removed")
        audit.record("live_entry_removed", by=by, obj=locked.coverage.article, entry=locked.pk)
        _issue_update(locked.coverage.article, by, _("A live entry was withdrawn."))
        _changed(locked.coverage.article)


def shown_entries(coverage: LiveCoverage):
    """What readers see of a live page, newest first, with the pictures' renditions."""
    return (
        coverage.entries.filter(removed_at__isnull=True)
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("-created_at", "-id")
    )


def renditions_changed(sender, image_id: int, **kwargs) -> None:
    """Receiver of `articles.signals.renditions_changed` (after commit): live pages that show the
    picture in an entry were cached with its original; renew those stories' pages."""
    stories = (
        LiveEntry.objects.filter(image_id=image_id, removed_at__isnull=True)
        .filter(coverage__article__in=Article.objects.public())
        .values_list("coverage__article_id", flat=True)
        .distinct()
    )
    keys = [cache.story_key(pk) for pk in stories]
    if keys:
        cache.shared.new_tokens(*keys)


def feed_url(article: Article) -> str:
    return reverse("live:entries", kwargs={"pk": article.pk})


def json_ld(article: Article, coverage: LiveCoverage, entries: list[LiveEntry]) -> dict:
    """schema.org LiveBlogPosting, each shown entry a BlogPosting update."""
    url = seo.absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url + "#live",
        "url": url,
        "headline": article.headline,
        "coverageStartTime": coverage.started_at.isoformat(),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{url}#entry-{entry.pk}",
                "url": f"{url}#entry-{entry.pk}",
                "headline": (strip_tags(entry.text) or article.headline)[:110],
                "articleBody": entry.text,
                "datePublished": entry.created_at.isoformat(),
                "dateModified": entry.updated_at.isoformat(),
                **({"image": seo.absolute(entry.image.file.url)} if entry.image and entry.image.file else {}),
            }
            for entry in entries
        ],
    }
    if coverage.ended_at:
        data["coverageEndTime"] = coverage.ended_at.isoformat()
    return data
