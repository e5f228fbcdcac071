"""Sources an import proposed for a draft, waiting for someone to confirm, merge or discard them.

`/admin/articles/article/<id>/sources/` lists them with the parser's confidence and reasons and
the sentences they were read from; each button is one call to `wire.resolve()`.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .. import permissions, wire
from ..models import Article, Source
from ..revisions import EditConflict


class ResolveForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(action, action) for action in wire.confirmation.ACTIONS])
    into = forms.ModelChoiceField(
        label=_("merge into"), queryset=Source.objects.all(), required=False, empty_label=_("Choose a source…")
    )
    name = forms.CharField(label=_("name"), max_length=200, required=False)


def _rows(article: Article) -> list[dict]:
    """Each waiting source with its reasons and a form whose merge target is the closest existing
    source, so a merge is one click when the reading found the right one."""
    registry = wire.matching.Registry()
    rows = []
    for item in article.source_proposals.all():
        closest, _whole = registry.source_named(item.name)
        rows.append(
            {
                "proposal": item,
                "percent": round(item.confidence * 100),
                "reasons": [wire.Reason(code, detail) for code, detail in item.reasons if code in wire.Reason.LABELS],
                "closest": closest,
                "form": ResolveForm(
                    initial={"proposal": item.pk, "version": article.version, "name": item.name, "into": closest},
                    auto_id=f"id_p{item.pk}_%s",
                ),
            }
        )
    return rows


def review(request, site: AdminSite, article_id: int):
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=article_id)
    back = reverse("admin:articles_article_source_proposals", args=[article.pk])
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The request was not understood; nothing was changed."))
            return redirect(back)
        data = form.cleaned_data
        try:
            wire.resolve(
                data["proposal"],
                data["action"],
                by=request.user,
                loaded_version=data["version"],
                into=data["into"],
                name=data["name"].strip(),
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done: the story's sources are updated."))
        return redirect(back)
    context = {
        **site.each_context(request),
        "title": _("Proposed sources"),
        "article": article,
        "original": article,
        "rows": _rows(article),
        "can_resolve": permissions.can_edit(request.user, article),
        "can_add_source": request.user.has_perm("articles.add_source"),
        "opts": Article._meta,
    }
    return TemplateResponse(request, "admin/articles/article/source_proposals.html", context)


def install(site: AdminSite) -> None:
    """Add the page to the admin site's URLs, ahead of the story admin's own catch-all paths."""
    site_urls = site.get_urls

    def get_urls():
        view = site.admin_view(lambda request, article_id: review(request, site, article_id))
        return [
            path("articles/article/<int:article_id>/sources/", view, name="articles_article_source_proposals"),
            *site_urls(),
        ]

    site.get_urls = get_urls
