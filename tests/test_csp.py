"""Content-Security-Policy: no 'unsafe-inline' for scripts anywhere; the admin's one inline script
(the editor's import map) runs because it carries the request's nonce."""

import re

import pytest
from django.urls import reverse

from .factories import ArticleFactory, published

pytestmark = pytest.mark.django_db

_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# Data blocks are never executed, so the policy does not apply to them.
_DATA_TYPES = ("application/json", "application/ld+json")


def script_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split(";") if part.strip().startswith("script-src"))


def inline_scripts(html: str) -> list[str]:
    """The attributes of every <script> the browser would execute inline."""
    return [
        attrs
        for attrs in _SCRIPT.findall(html)
        if "src=" not in attrs and not any(f'type="{kind}"' in attrs for kind in _DATA_TYPES)
    ]


def test_the_admin_policy_allows_no_inline_script_without_the_nonce(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_add"))
    sources = script_sources(response)
    assert "'unsafe-inline'" not in sources
    nonces = [source for source in sources if source.startswith("'nonce-")]
    assert len(nonces) == 1, sources
    nonce = nonces[0][len("'nonce-") : -1]
    scripts = inline_scripts(response.content.decode())
    assert any('type="importmap"' in attrs for attrs in scripts), "the editor's import map is missing"
    for attrs in scripts:
        assert f'nonce="{nonce}"' in attrs, f"inline script without the page's nonce: <script{attrs}>"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:articles_article_changelist",
        "admin:articles_article_change",
        "admin:articles_image_add",
        "admin:articles_source_add",
        "admin:articles_article_revisions",
    ],
)
def test_every_inline_script_on_admin_pages_carries_the_nonce(client, editor, url_name):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    args = [article.pk] if url_name.endswith(("_change", "_revisions")) else []
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    sources = script_sources(response)
    assert "'unsafe-inline'" not in sources
    for attrs in inline_scripts(response.content.decode()):
        assert any(f"nonce=\"{source[7:-1]}\"" in attrs for source in sources if source.startswith("'nonce-")), attrs


def test_reader_pages_allow_scripts_from_the_site_only(client):
    story = published()
    for url in ["/", story.get_absolute_url(), "/search/?q=روسيا", "/en/"]:
        response = client.get(url)
        assert script_sources(response) == ["'self'"], url
        assert inline_scripts(response.content.decode()) == [], url


def test_each_admin_page_gets_a_fresh_nonce(client, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_add")
    first, second = (script_sources(client.get(url)) for _ in range(2))
    assert first != second
