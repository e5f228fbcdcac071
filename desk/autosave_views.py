"""The story form's autosave endpoints, and the page a stale form's save meets instead of a bare
CSRF 403. The work itself is kept by `autosave` (on the server) and the form's script (in the
browser)."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article

from . import autosave
from .templatetags.desk import clock


def _article(value) -> Article | None:
    return get_object_or_404(Article, pk=value) if value not in (None, "") else None


def _json_body(request) -> dict | HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Checked on the declared length, before a byte is read (Django reads no more than declared).
    if declared > autosave.MAX_BYTES:
        return JsonResponse({"error": _("Too much text to keep in one go.")}, status=413)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The draft could not be read.")}, status=400)
    return body if isinstance(body, dict) else JsonResponse({"error": _("The draft could not be read.")}, status=400)


@require_POST
def keep(request):
    """Keep the person's typed fields; answers when, whether the story moved on, and the restore panel."""
    body = _json_body(request)
    if isinstance(body, HttpResponse):
        return body
    article = _article(body.get("article"))
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    base = body.get("base_version")
    kept = autosave.keep(request.user, article, data, base if isinstance(base, int) else None)
    answer = {"saved_at": kept.draft.saved_at.isoformat(), "kept_at": clock(kept.draft.saved_at), "stale": kept.stale}
    if body.get("panel"):
        answer["panel"] = render_to_string(
            "desk/autosave_panel.html", panel_context(request.user, article, kept.draft), request
        )
    return JsonResponse(answer)


@require_POST
def discard(request):
    body = _json_body(request)
    if isinstance(body, HttpResponse):
        return body
    return JsonResponse({"discarded": autosave.discard(request.user, _article(body.get("article")))})


def panel_context(user, article, draft) -> dict:
    return {
        "draft": draft,
        "changes": autosave.changes(draft, article, user) if draft else [],
        "draft_data": draft.data if draft else None,
    }


def csrf_failure(request, reason=""):
    """A form posted with a token that no longer matches (the person signed in again, maybe in
    another tab): nothing was saved, and the page says how to get the typed work back."""
    back = request.path if request.path.startswith("/admin/") else ""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = referer
    return TemplateResponse(request, "desk/csrf_failure.html", {"back": back}, status=403)
