"""Signed, expiring preview links: a story exactly as the public page will show it, for people
without an account (a lawyer, a translator). The link names the story; it always shows the latest
saved text. Never indexed, never cached."""

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .models import Article, Status

SALT = "articles.preview"
MAX_AGE_HOURS = 48


def make_token(article: Article) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"article": article.pk})


def preview_url(article: Article) -> str:
    return settings.SITE_URL + reverse("preview", kwargs={"token": make_token(article)})


def preview(request, token: str):
    from . import views

    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE_HOURS * 3600)
        # A killed story is a legal takedown: no link shows it any more, however fresh.
        article = views.story_queryset(Article.objects.exclude(status=Status.KILLED)).get(pk=data["article"])
    except (signing.BadSignature, KeyError, TypeError, Article.DoesNotExist):
        response = render(request, "articles/preview_refused.html", status=403)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
    response = views.render_story(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
