"""Signed preview links: a draft as readers will see it, for 48 hours, for anyone holding the link."""

import time

import pytest
from django.urls import reverse

from articles import preview

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def path_of(article):
    return reverse("preview", kwargs={"token": preview.make_token(article)})


def test_preview_shows_a_draft_without_logging_in(client):
    draft = ArticleFactory(headline_ar="خبر لم يُنشر بعد", body_ar="<p>مسودة للمحامي</p>")
    response = client.get(path_of(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر لم يُنشر بعد" in html and "مسودة للمحامي" in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies


def test_the_draft_itself_stays_off_the_public_site(client):
    draft = ArticleFactory()
    assert client.get(f"/{draft.section.slug}/{draft.pk}/{draft.slug}/").status_code == 404


def test_tampered_link_is_refused(client):
    draft = ArticleFactory()
    other = ArticleFactory(headline_ar="خبر آخر سري")
    token = preview.make_token(draft)
    from django.core.signing import b64_encode

    forged = b64_encode(b'{"article":%d}' % other.pk).decode() + token[token.index(":") :]
    for bad in [token[:-2] + "xx", forged, "not-a-token", token + "a"]:
        response = client.get(reverse("preview", kwargs={"token": bad}))
        assert response.status_code == 403, bad
        assert "خبر آخر سري" not in response.content.decode()


def test_link_expires_after_48_hours(client, monkeypatch):
    draft = ArticleFactory(headline_ar="خبر للمراجعة القانونية")
    url = path_of(draft)
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 47 * 3600)
    assert client.get(url).status_code == 200
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 48 * 3600 + 1)
    response = client.get(url)
    assert response.status_code == 403
    assert "خبر للمراجعة القانونية" not in response.content.decode()


def test_change_page_offers_the_preview_link(client, editor):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "/preview/" in html
