"""The content model and the rules the database itself enforces."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from articles.models import Article, Attribution, Image, Section, Source

from .factories import ArticleFactory, AttributionFactory, SectionFactory, SourceFactory, published

pytestmark = pytest.mark.django_db


def raw_update(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_status_outside_the_workflow_is_refused_by_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError, match="article_status_valid"):
        raw_update("UPDATE articles_article SET status = 'live' WHERE id = %s", [article.pk])


def test_story_without_arabic_headline_is_refused_by_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError, match="article_headline_ar_required"):
        raw_update("UPDATE articles_article SET headline_ar = '' WHERE id = %s", [article.pk])
    with pytest.raises(IntegrityError, match="article_headline_ar_required"):
        raw_update("UPDATE articles_article SET headline_ar = NULL WHERE id = %s", [article.pk])


def test_published_story_without_publication_time_is_refused():
    article = ArticleFactory()
    with pytest.raises(IntegrityError, match="article_published_has_times"):
        raw_update("UPDATE articles_article SET status = 'published' WHERE id = %s", [article.pk])


def test_two_stories_cannot_share_a_slug():
    ArticleFactory(slug="خبر-عاجل")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="خبر-عاجل")


def test_section_slug_is_unique_and_arabic_name_required():
    SectionFactory(slug="syria")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(slug="syria", name_ar="سوريا 2")
    with pytest.raises(IntegrityError, match="section_name_ar_required"), transaction.atomic():
        Section.objects.create(slug="empty", name_ar="")


def test_source_kind_is_checked_by_the_database():
    source = SourceFactory()
    with pytest.raises(IntegrityError, match="source_kind_valid"):
        raw_update("UPDATE articles_source SET kind = 'rumour' WHERE id = %s", [source.pk])


def test_attribution_needs_an_arabic_description():
    with pytest.raises(IntegrityError, match="attribution_description_ar_required"), transaction.atomic():
        AttributionFactory(description_ar="")


def test_image_needs_arabic_alt_text_and_focal_point_inside_the_frame():
    image = Image.objects.bulk_create([Image(file="images/x.jpg", alt_ar="صورة", width=10, height=10)])[0]
    with pytest.raises(IntegrityError, match="image_alt_ar_required"):
        raw_update("UPDATE articles_image SET alt_ar = '' WHERE id = %s", [image.pk])
    with pytest.raises(IntegrityError, match="image_focal_point_in_frame"):
        raw_update("UPDATE articles_image SET focal_x = 1.5 WHERE id = %s", [image.pk])


def test_a_section_cannot_delete_while_it_has_stories():
    article = ArticleFactory()
    with pytest.raises(Exception, match="protected"), transaction.atomic():
        article.section.delete()


def test_translated_fields_follow_the_active_language():
    article = ArticleFactory(headline_ar="روسيا تسحب قواتها", headline_en="Russia pulls forces back")
    with translation.override("ar"):
        assert Article.objects.get(pk=article.pk).headline == "روسيا تسحب قواتها"
    with translation.override("en"):
        assert Article.objects.get(pk=article.pk).headline == "Russia pulls forces back"


def test_english_falls_back_to_arabic_for_names_without_translation():
    section = SectionFactory(name_ar="اقتصاد", name_en="")
    with translation.override("en"):
        assert Section.objects.get(pk=section.pk).name == "اقتصاد"


def test_arabic_tags_keep_arabic_slugs():
    article = ArticleFactory()
    article.tags.set(["روسيا", "الشرق الأوسط"])
    slugs = sorted(article.tags.values_list("slug", flat=True))
    assert slugs == ["الشرق-الأوسط", "روسيا"]


def test_bylines_keep_their_order():
    article = ArticleFactory()
    from .factories import BylineFactory, UserFactory

    second, first = UserFactory(), UserFactory()
    BylineFactory(article=article, author=second, position=1)
    BylineFactory(article=article, author=first, position=0)
    assert [b.author for b in article.bylines.all()] == [first, second]


def test_story_url_carries_section_id_and_slug():
    article = published(slug="خبر")
    assert article.get_absolute_url() == f"/{article.section.slug}/{article.pk}/%D8%AE%D8%A8%D8%B1/"


def test_attribution_related_name_is_attributions():
    attribution = AttributionFactory(is_anonymous=True)
    assert list(attribution.article.attributions.all()) == [attribution]
    assert isinstance(attribution, Attribution) and isinstance(attribution.source, Source)
