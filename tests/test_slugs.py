"""Slugs keep Arabic letters, drop diacritics and punctuation, and freeze once published."""

import pytest

from articles.arabic import slugify
from articles.models import Article
from articles.slugs import refresh_article_slug, unique_slug

from .factories import ArticleFactory, published


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("رُوسْيَا تَبْدَأُ سَحْبَ قُوَّاتِهَا", "روسيا-تبدأ-سحب-قواتها"),
        ("عاجـــل: انفجار في دمشق!", "عاجل-انفجار-في-دمشق"),
        ("«الكرملين» يؤكد، والحكومة تنفي؟", "الكرملين-يؤكد-والحكومة-تنفي"),
        ("قمة G20 في الرياض", "قمة-g20-في-الرياض"),
        ("زلزال بقوة ٥٫٦ درجات", "زلزال-بقوة-56-درجات"),
    ],
)
def test_arabic_headline_slugs(headline, slug):
    assert slugify(headline) == slug


def test_long_headline_is_cut_at_a_word():
    slug = slugify("كلمة " * 60, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-") and slug.split("-")[-1] == "كلمة"


@pytest.mark.django_db
def test_duplicate_headline_gets_a_numbered_slug():
    ArticleFactory(slug="روسيا-تنسحب")
    assert unique_slug(Article, "روسيا تنسحب") == "روسيا-تنسحب-2"


@pytest.mark.django_db
def test_draft_slug_follows_the_headline():
    article = ArticleFactory(headline_ar="عنوان أول", slug="عنوان-أول")
    article.headline_ar = "عنوان ثانٍ مختلف"
    refresh_article_slug(article)
    assert article.slug == "عنوان-ثان-مختلف"


@pytest.mark.django_db
def test_published_slug_never_changes():
    article = published(headline_ar="عنوان أول", slug="عنوان-أول")
    article.headline_ar = "عنوان معدل بعد النشر"
    refresh_article_slug(article)
    assert article.slug == "عنوان-أول"
