"""Preview links from a story's page: make one, revoke one. The rules live in `preview`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import preview
from ..arabic import format_datetime
from ..models import Article, PreviewLink


def _back(article: Article):
    return redirect(reverse("admin:articles_article_change", args=[article.pk]) + "#preview-links")


def create_view(model_admin):
    """POST …/previews/: a new preview link of the story."""

    def view(request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=object_id)
        try:
            link = preview.create_link(article, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back(article)
        messages.success(
            request,
            # The address itself is in the list of links below, in a box to copy it from: inside a
            # right-to-left sentence a URL breaks apart.
            _("Preview link made. It works until %(time)s; copy it from “Preview links” below.")
            % {"time": format_datetime(link.expires_at, get_language())},
        )
        return _back(article)

    return view


def revoke_view(model_admin):
    """POST …/previews/<link>/revoke/: the link stops working at once."""

    def view(request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(PreviewLink.objects.select_related("article"), pk=link_id, article_id=object_id)
        preview.revoke(link, request.user)
        messages.success(request, _("Preview link revoked: it no longer opens the story."))
        return _back(link.article)

    return view
