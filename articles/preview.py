"""Preview links: a story exactly as the public page will show it, for people without an account
(a lawyer, a translator). Each link is a recorded `PreviewLink` (who made it, when, for which story,
until when); its signed token names that record. It always shows the latest saved text, is never
indexed or cached, and stops working when it expires, when someone revokes it, or when the story
leaves the states that may be previewed (`workflow.PREVIEWABLE`), which revokes it for good.

Only people who may edit the story (editors may edit every story) make, see and revoke its links.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import audit

from . import permissions
from .models import Article, PreviewLink

SALT = "articles.preview"
MAX_AGE_HOURS = 48


def make_token(link: PreviewLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"link": link.pk})


def url(link: PreviewLink) -> str:
    return settings.SITE_URL + reverse("preview", kwargs={"token": make_token(link)})


def create_link(article: Article, by) -> PreviewLink:
    """Record a new preview link for the story, valid for MAX_AGE_HOURS.

    Raises `PermissionDenied` for someone who may not edit the story and `ValidationError` for a
    story that may not be previewed in its present state.
    """
    from .workflow import PREVIEWABLE

    if not permissions.can_preview(by, article):
        raise PermissionDenied(_("You may not make preview links of this story."))
    if article.status not in PREVIEWABLE:
        raise ValidationError(
            _("A story that is %(status)s cannot be previewed.") % {"status": article.get_status_display()},
            code="not_previewable",
        )
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=article, created_by=by, created_at=now, expires_at=now + timedelta(hours=MAX_AGE_HOURS)
    )
    audit.record("preview_link_made", by=by, obj=article, link=link.pk, expires=link.expires_at.isoformat())
    return link


def revoke(link: PreviewLink, by) -> None:
    """Stop one link working, now and for good. Revoking a revoked link changes nothing."""
    if not permissions.can_preview(by, link.article):
        raise PermissionDenied(_("You may not revoke preview links of this story."))
    if PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by):
        audit.record("preview_link_revoked", by=by, obj=link.article, link=link.pk)
    link.refresh_from_db(fields=["revoked_at", "revoked_by"])


def revoke_all(article: Article, by) -> int:
    """Revoke every working link of the story (it left the states that may be previewed).

    Call inside the transaction that moves the story, so the links die with the move or not at all.
    """
    return live_links(article).update(revoked_at=timezone.now(), revoked_by=by)


def live_links(article: Article) -> QuerySet[PreviewLink]:
    return PreviewLink.objects.filter(article=article, revoked_at__isnull=True, expires_at__gt=timezone.now())


def find(token: str) -> PreviewLink | None:
    """The working link a token names, or None: forged, expired, revoked, or its story not previewable."""
    from .workflow import PREVIEWABLE

    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)["link"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    link = PreviewLink.objects.filter(pk=pk).select_related("article").first() if isinstance(pk, int) else None
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link if link.article.status in PREVIEWABLE else None


def preview(request, token: str):
    from . import views

    link = find(token)
    article = views.story_queryset(Article.objects.all()).filter(pk=link.article_id).first() if link else None
    if article is None:
        response = render(request, "articles/preview_refused.html", {"hours": MAX_AGE_HOURS}, status=403)
    else:
        response = views.render_story(request, article, preview=link)
    response["X-Robots-Tag"] = "noindex, nofollow"
    views.never_cache_headers(response)
    return response


def links_of(article: Article) -> list[PreviewLink]:
    """The story's links, newest first; those that still work carry their `url`."""
    from .workflow import PREVIEWABLE

    now, previewable = timezone.now(), article.status in PREVIEWABLE
    links = list(PreviewLink.objects.filter(article=article).select_related("created_by", "revoked_by"))
    for link in links:
        link.url = url(link) if previewable and link.revoked_at is None and link.expires_at > now else ""
    return links
