"""The editorial workflow: the table of moves and the one function that makes them.

`transition()` is the only code that changes a story's `status`. The admin's buttons, its bulk
actions and any other route read `MOVES` and call it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import audit

from . import permissions
from .models import Article, Status, Transition

# Sent inside transition()'s transaction, after the move is written (article, move, by, comment,
# from_status): receivers' writes commit or roll back with the move. Other apps (the desk's
# notifications and budget) listen; articles never imports them.
story_moved = Signal()


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
            "publish", _("Publish"), [Status.SUBMITTED, Status.APPROVED], Status.PUBLISHED, "articles.publish_article"
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
    ]
)


def transition(article: Article, move: str, by, comment: str = "") -> Transition:
    """Make one workflow move, all or nothing.

    Locks the story's row, checks the move, its state and the person's permission, then writes the
    new state, a `Transition` and a revision in one transaction; search and cache updates run only
    once it commits. Raises `PermissionDenied` or `ValidationError` and changes nothing when refused.
    On success `article` carries the new state and version.
    """
    from . import cache, revisions, search

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

        now = timezone.now()
        from_status = locked.status
        locked.status = rule.target
        if rule.target == Status.PUBLISHED:
            # A future publish_at schedules the story: readers see it once the time comparison in
            # Article.objects.public() lets it through. No job runs.
            if locked.publish_at is None or locked.publish_at < now:
                locked.publish_at = now
            if locked.first_published_at is None:
                locked.first_published_at = locked.publish_at
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=["status", "publish_at", "first_published_at", "version", "updated_at"])
        record = Transition.objects.create(
            article=locked, move=move, from_status=from_status, to_status=rule.target, by=by, comment=comment
        )
        revisions.save_revision(locked, by, note=str(rule.label))
        audit.record("story_moved", by=by, obj=locked, text=rule.label, move=move, source=from_status, comment=comment)
        search.update_document(locked)
        story_moved.send(Article, article=locked, move=move, by=by, comment=comment, from_status=from_status)
        transaction.on_commit(lambda: cache.invalidate_article(locked))

    for field in ("status", "publish_at", "first_published_at", "version", "updated_at"):
        setattr(article, field, getattr(locked, field))
    return record
