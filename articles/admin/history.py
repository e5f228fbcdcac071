"""A story's revisions in the admin: the list, a word-level comparison of any two, and restore."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import permissions, revisions
from ..models import Article, Revision


def revisions_view(model_admin):
    """GET …/revisions/ lists them; ?a=N&b=M compares revision N with M."""

    def view(request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not model_admin.has_view_permission(request, article):
            raise PermissionDenied
        history = list(Revision.objects.filter(article=article).select_related("author").order_by("-number"))
        by_number = {revision.number: revision for revision in history}
        older = newer = None
        changes = []
        if "a" in request.GET or "b" in request.GET:
            try:
                numbers = sorted({int(request.GET.get("a", "")), int(request.GET.get("b", ""))})
            except ValueError:
                raise Http404 from None
            if len(numbers) == 2 and all(n in by_number for n in numbers):
                older, newer = by_number[numbers[0]], by_number[numbers[1]]
                changes = revisions.diff(older.snapshot, newer.snapshot, user=request.user)
            else:
                messages.warning(request, _("Choose two different revisions to compare."))
        elif len(history) >= 2:
            older, newer = history[1], history[0]
            changes = revisions.diff(older.snapshot, newer.snapshot, user=request.user)
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Revisions of “%(headline)s”") % {"headline": article.headline},
            "opts": model_admin.model._meta,
            "original": article,
            "history": history,
            "older": older,
            "newer": newer,
            "changes": changes,
            "can_restore": permissions.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    return view


def restore_view(model_admin):
    def view(request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=object_id)
        if not permissions.can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        revisions_url = reverse("admin:articles_article_revisions", args=[object_id])
        try:
            loaded = int(request.POST["loaded_version"])
        except (KeyError, ValueError):
            # Restoring over a version nobody looked at could undo someone's work unseen.
            messages.error(request, _("Nothing was restored: reload this page and restore again."))
            return redirect(revisions_url)
        try:
            new = revisions.restore(article, revision, request.user, loaded_version=loaded)
        except revisions.EditConflict as conflict:
            who = conflict.latest.author if conflict.latest else None
            messages.error(
                request,
                _(
                    "%(name)s saved the story after you opened this page, so nothing was restored. Check the latest "
                    "revision, then restore again if you still want to."
                )
                % {"name": who or _("someone")},
            )
            return redirect(revisions_url)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(revisions_url)
        if new is None:
            messages.info(request, _("The story already reads like revision #%(old)s.") % {"old": revision.number})
        else:
            messages.success(
                request,
                _("Revision #%(old)s restored as revision #%(new)s.") % {"old": revision.number, "new": new.number},
            )
        return redirect(reverse("admin:articles_article_change", args=[object_id]))

    return view
