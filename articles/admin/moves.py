"""Workflow moves from the admin: the buttons under a story, its direct move URL and bulk actions.

Every route ends in `workflow.transition()`. A move the person has no right to make answers 403 and
changes nothing; a move the story's state does not allow is explained in a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import permissions, workflow
from ..forms import MoveForm
from ..models import Article
from ..workflow import MOVES


def action_name(move: str) -> str:
    return f"move_{move}"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def make_move(request, article: Article, move: str, comment: str = "", publish_at=None) -> bool:
    """Make a move after a save in the same request. A refusal is reported; the save stands."""
    try:
        workflow.transition(article, move, request.user, comment, publish_at=publish_at)
    except (PermissionDenied, ValidationError) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return False
    messages.success(request, _("“%(move)s” done.") % {"move": MOVES[move].label})
    return True


def move_view(model_admin):
    """POST /admin/articles/article/<id>/move/ with workflow_move and workflow_comment."""

    def view(request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=object_id)
        move = request.POST.get("workflow_move", "")
        if move not in MOVES or not permissions.permitted(request.user, move, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
            return redirect(change_url)
        try:
            workflow.transition(
                article,
                move,
                request.user,
                form.cleaned_data["workflow_comment"],
                publish_at=form.cleaned_data["workflow_publish_at"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(change_url)
        messages.success(request, _("“%(move)s” done.") % {"move": MOVES[move].label})
        if model_admin.has_view_permission(request, article):
            return redirect(change_url)
        return redirect("admin:articles_article_changelist")

    return view


def refuse_forbidden_action(request) -> None:
    """A bulk move the person may not make at all answers 403, even if forged into the action list."""
    action = request.POST.get("action", "")
    for move, rule in MOVES.items():
        if action == action_name(move) and not request.user.has_perm(rule.permission):
            raise PermissionDenied


def _bulk(move: str):
    rule = MOVES[move]

    def action(model_admin, request, queryset):
        comment = request.POST.get("workflow_comment", "").strip()
        if rule.comment_required and not comment:
            # Ask for the comment on a page of its own, listing the stories it will go to.
            return TemplateResponse(
                request,
                "admin/articles/article/move_comment.html",
                {
                    **model_admin.admin_site.each_context(request),
                    "title": rule.label,
                    "move": rule,
                    "action": action_name(move),
                    "stories": queryset,
                    "opts": model_admin.model._meta,
                    "error": request.POST.get("workflow_comment") is not None,
                },
            )
        done, skipped = 0, []
        # All or nothing where rights are concerned: one forbidden story refuses the whole request.
        with transaction.atomic():
            for article in Article.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).order_by("pk"):
                if not permissions.permitted(request.user, move, article):
                    raise PermissionDenied
                try:
                    workflow.transition(article, move, request.user, comment)
                    done += 1
                except ValidationError as error:
                    skipped.append(f"«{article.headline}»: {_error_text(error)}")
        if done:
            messages.success(
                request,
                ngettext("“%(move)s”: %(n)d story done.", "“%(move)s”: %(n)d stories done.", done)
                % {"move": rule.label, "n": done},
            )
        for text in skipped:
            messages.warning(request, text)
        return None

    action.__name__ = action_name(move)
    action.short_description = rule.label
    return action


# A move that needs its own time for each story (reschedule) is made on the story's page only.
ACTIONS = [_bulk(move) for move, rule in MOVES.items() if not rule.time_required]
