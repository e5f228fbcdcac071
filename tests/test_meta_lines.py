"""Meta lines ("section — date", "dateline — published …") use a separator that no Arabic digit
resembles: "·" reads as the Arabic-Indic zero "٠", a bar as the digit one "١"."""

import re

import pytest
from django.urls import reverse

from articles import search
from articles.templatetags.reader import META_SEPARATOR

from .factories import ArticleFactory, published

pytestmark = pytest.mark.django_db

# Marks an Arabic reader may take for ٠ or ١.
LOOK_ALIKES = {"·", "•", "∙", "⋅", "・", "|", "ǀ", "│", ".", "٠", "١", "o"}


def test_the_separator_is_not_a_digit_or_a_look_alike():
    assert META_SEPARATOR not in LOOK_ALIKES and not META_SEPARATOR.isdigit()


@pytest.fixture
def story():
    article = published(headline_ar="افتتاح معبر جديد", dateline_ar="حلب")
    search.update_document(article)
    return article


def meta_separators(html: str) -> list[str]:
    """What stands between the parts of each meta line on the page."""
    return re.findall(r'class="meta-sep" aria-hidden="true">([^<]*)<', html)


@pytest.mark.parametrize("page", ["story", "home", "search"])
def test_reader_pages_separate_meta_with_the_dash(client, story, page):
    url = {"story": story.get_absolute_url(), "home": "/", "search": "/search/?q=معبر"}[page]
    html = client.get(url).content.decode()
    assert meta_separators(html) and set(meta_separators(html)) == {META_SEPARATOR}
    for mark in LOOK_ALIKES - {".", "o", "٠", "١"}:
        assert f" {mark} " not in html, f"«{mark}» used as a separator on {page}"


def test_the_dashboard_separates_section_and_time_with_the_dash(client, journalist):
    ArticleFactory(created_by=journalist, headline_ar="مسودة")
    client.force_login(journalist)
    html = client.get(reverse("admin:index")).content.decode()
    assert meta_separators(html) == [META_SEPARATOR]
    assert " · " not in html
