"""The editorial workflow: the table of moves and the one function that makes them.

`transition()` is the only code that changes a story's `status`. The admin's buttons, its bulk
actions and any other route read `MOVES` and call it. It announces each move with the
`signals.story_moved` signal, sent inside the move's transaction, so what a receiver writes (the
newswire's delivery jobs) commits or rolls back with the move.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import audit

from . import permissions, signals
from .models import COMMENT_MAX_LENGTH, Article, Status, Transition


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    comment_required: bool = False
    # submit: the story's own journalist or an editor; withdraw: its own journalist only.
    owner_or_editor: bool = False
    owner_only: bool = False
    # reschedule: the move itself carries the new publication time.
    time_required: bool = False
    # Subscribers get a new version of the story (1 on first publication): publish, update, kill.
    issues_version: bool = False
    # The comment is the update note readers see under "Updated".
    comment_is_update_note: bool = False


def _move(name, label, sources, target, permission, **options) -> tuple[str, Move]:
    return name, Move(name, label, frozenset(sources), target, permission, **options)


MOVES: dict[str, Move] = dict(
    [
        _move(
            "submit",
            _("Submit for review"),
            [Status.DRAFT],
            Status.SUBMITTED,
            "articles.submit_article",
            owner_or_editor=True,
        ),
        _move("withdraw", _("Withdraw"), [Status.SUBMITTED], Status.DRAFT, "articles.submit_article", owner_only=True),
        _move(
            "return",
            _("Return for changes"),
            [Status.SUBMITTED, Status.APPROVED],
            Status.DRAFT,
            "articles.approve_article",
            comment_required=True,
        ),
        _move("approve", _("Approve"), [Status.SUBMITTED], Status.APPROVED, "articles.approve_article"),
        _move(
            "publish",
            _("Publish"),
            [Status.SUBMITTED, Status.APPROVED],
            Status.PUBLISHED,
            "articles.publish_article",
            issues_version=True,
        ),
        # An update of a developing story: the same story, a new version for subscribers, a note.
        _move(
            "update",
            _("Issue an update"),
            [Status.PUBLISHED],
            Status.PUBLISHED,
            "articles.publish_article",
            issues_version=True,
            comment_is_update_note=True,
        ),
        _move(
            "unpublish",
            _("Unpublish"),
            [Status.PUBLISHED],
            Status.UNPUBLISHED,
            "articles.unpublish_article",
            comment_required=True,
        ),
        _move("reopen", _("Reopen as draft"), [Status.UNPUBLISHED], Status.DRAFT, "articles.approve_article"),
        _move(
            "reschedule",
            _("Reschedule"),
            [Status.PUBLISHED],
            Status.PUBLISHED,
            "articles.publish_article",
            time_required=True,
        ),
        # A legal takedown: final, and sent to every subscriber as a kill notice. The comment is the reason.
        _move(
            "kill",
            _("Kill"),
            [Status.PUBLISHED, Status.UNPUBLISHED],
            Status.KILLED,
            "articles.kill_article",
            comment_required=True,
            issues_version=True,
        ),
    ]
)

# States a story may be previewed in (by signed link): those on the way to readers and the public
# one. A move to any other state (unpublished, killed) revokes its preview links.
PREVIEWABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED})
# States a story may be deleted in. Never published: a story readers saw keeps its trail, and is
# unpublished (or killed) instead.
DELETABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.UNPUBLISHED})


def transition(article: Article, move: str, by, comment: str = "", *, publish_at: datetime | None = None) -> Transition:
    """Make one workflow move, all or nothing.

    Locks the story's row, checks the move, its state and the person's permission, then writes the
    new state, a `Transition` and a revision in one transaction, and sends `signals.story_moved`
    inside it; the cache purge runs only once it commits. Raises `PermissionDenied` or
    `ValidationError` and changes nothing when refused. On success `article` carries the new state
    and version. `publish_at` is the new time of a move that needs one ("reschedule"); other moves
    ignore it.
    """
    from . import cache, preview, revisions, search

    rule = MOVES.get(move)
    if rule is None:
        raise ValidationError(_("Unknown workflow move: %(move)s") % {"move": move}, code="unknown_move")
    comment = (comment or "").strip()

    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not permissions.permitted(by, move, locked):
            raise PermissionDenied(_("You are not allowed to do “%(move)s” to this story.") % {"move": rule.label})
        if locked.status not in rule.sources:
            raise ValidationError(
                _("“%(move)s” cannot be done to a story that is %(status)s.")
                % {"move": rule.label, "status": locked.get_status_display()},
                code="wrong_state",
            )
        if rule.comment_required and not comment:
            raise ValidationError(_("“%(move)s” needs a comment.") % {"move": rule.label}, code="comment_required")
        if len(comment) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("A comment may be at most %(limit)d characters long; this one has %(length)d.")
                % {"limit": COMMENT_MAX_LENGTH, "length": len(comment)},
                code="comment_too_long",
            )

        now = timezone.now()
        from_status, old_publish_at = locked.status, locked.publish_at
        if rule.time_required:
            _reschedule(locked, rule, publish_at, now)
        locked.status = rule.target
        if rule.target == Status.PUBLISHED and from_status != Status.PUBLISHED:
            # A future publish_at schedules the story: readers see it once the time comparison in
            # Article.objects.public() lets it through. No job runs.
            if locked.publish_at is None or locked.publish_at < now:
                locked.publish_at = now
            if locked.first_published_at is None:
                locked.first_published_at = locked.publish_at
        if rule.issues_version:
            locked.wire_version += 1
            locked.issued_at = now
            locked.update_note = comment if rule.comment_is_update_note else ""
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=CHANGED_FIELDS)
        moved_in_time = locked.publish_at != old_publish_at
        record = Transition.objects.create(
            article=locked,
            move=move,
            from_status=from_status,
            to_status=rule.target,
            by=by,
            comment=comment,
            old_publish_at=old_publish_at if moved_in_time else None,
            new_publish_at=locked.publish_at if moved_in_time else None,
        )
        revisions.save_revision(locked, by, note=str(rule.label))
        audit.record("story_moved", by=by, obj=locked, text=rule.label, move=move, source=from_status, comment=comment)
        search.update_document(locked)
        if rule.target not in PREVIEWABLE:
            preview.revoke_all(locked, by)
        signals.story_moved.send(sender=Article, article=locked, move=rule, transition=record)
        transaction.on_commit(lambda: cache.invalidate_article(locked))

    for field in CHANGED_FIELDS:
        setattr(article, field, getattr(locked, field))
    return record


CHANGED_FIELDS = [
    "status",
    "publish_at",
    "first_published_at",
    "wire_version",
    "issued_at",
    "update_note",
    "version",
    "updated_at",
]


def _reschedule(locked: Article, rule: Move, publish_at: datetime | None, now: datetime) -> None:
    """Move a published story to a new time (a time already past means now)."""
    from . import inputs

    if publish_at is None:
        raise ValidationError(_("“%(move)s” needs the new time.") % {"move": rule.label}, code="time_required")
    inputs.within_calendar(publish_at)
    new_time = max(publish_at, now)
    if new_time == locked.publish_at:
        raise ValidationError(_("The story is already set for that time."), code="same_time")
    if locked.first_published_at is not None and locked.first_published_at > now:
        # Readers have not seen it yet: its first publication is the new time.
        locked.first_published_at = new_time
    locked.publish_at = new_time
