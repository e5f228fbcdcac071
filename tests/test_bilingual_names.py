"""Tags in both languages: English pages show English tag names, falling back to Arabic; the Arabic
name stays what taggit resolves, whatever language an editor works in."""

import pytest
from django.utils import translation

from articles import revisions, wire
from articles.models import Tag
from articles.wire.proposal import AttributionProposal, CreditProposal

from .factories import SectionFactory, published

pytestmark = pytest.mark.django_db


def english_story(**fields):
    fields.setdefault("headline_en", "Russian forces leave the front line")
    fields.setdefault("body_en", "<p>The withdrawal began.</p>")
    return published(headline_ar="القوات الروسية تغادر", body_ar="<p>بدأ الانسحاب.</p>", **fields)


def test_english_pages_show_english_tag_names_and_arabic_pages_arabic_ones(client):
    article = english_story()
    article.tags.add(Tag.objects.create(name_ar="روسيا", name_en="Russia", slug="russia"))
    with translation.override("en"):
        english = client.get(article.get_absolute_url()).content.decode()
    with translation.override("ar"):
        arabic = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="tag" dir="auto">Russia</a>' in english and ">روسيا</a>" not in english
    assert 'rel="tag" dir="auto">روسيا</a>' in arabic


def test_a_tag_without_an_english_name_shows_its_arabic_name_on_english_pages(client):
    article = english_story()
    article.tags.add(Tag.objects.create(name_ar="حميميم", slug="hmeimim"))
    with translation.override("en"):
        html = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="tag" dir="auto">حميميم</a>' in html


def test_the_english_tag_page_is_headed_with_the_english_name(client):
    tag = Tag.objects.create(name_ar="روسيا", name_en="Russia", slug="russia")
    english_story().tags.add(tag)
    with translation.override("en"):
        html = client.get(tag.get_absolute_url()).content.decode()
    assert "<h1" in html and "Russia" in html


def test_an_editor_working_in_english_keeps_the_arabic_names_and_adds_no_duplicate():
    tag = Tag.objects.create(name_ar="روسيا", name_en="Russia", slug="russia")
    article = english_story()
    with translation.override("en"):
        article.tags.set(["روسيا", "وسم جديد"])
        assert sorted(article.tags.names()) == ["روسيا", "وسم جديد"]
        assert str(tag) == "Russia"
    assert Tag.objects.filter(name_ar="روسيا").count() == 1
    new = Tag.objects.get(name_ar="وسم جديد")
    assert new.name == "وسم جديد" and new.name_en is None and new.slug


def test_revisions_record_arabic_tag_names_in_any_language(editor):
    article = english_story()
    article.tags.add(Tag.objects.create(name_ar="روسيا", name_en="Russia", slug="russia"))
    with translation.override("en"):
        revision = revisions.save_revision(article, editor)
    assert revision.snapshot["tags"] == ["روسيا"]


def test_the_tag_admin_edits_both_names(client, editor):
    tag = Tag.objects.create(name_ar="روسيا", slug="russia")
    client.force_login(editor)
    url = f"/admin/articles/tag/{tag.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="name_ar"' in html and 'name="name_en"' in html
    response = client.post(url, {"name_ar": "روسيا", "name_en": "Russia", "slug": "russia"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name_en == "Russia" and tag.name_ar == "روسيا"


def test_the_importer_fills_english_names_of_new_tags_and_sources(journalist):
    text = "وكالة الأرز للأنباء – أعلن الكرملين أن المحادثات مستمرة مع دمشق حول مستقبل القواعد."
    proposal = wire.parse(text).accept(
        credit=CreditProposal(name="وكالة الأرز للأنباء", name_en="Cedar News Agency", confirmed=True),
        tags=["انسحاب"],
        tag_names_en={"انسحاب": "Withdrawal"},
        attributions=[
            AttributionProposal(
                description="الكرملين", new_source_name="الكرملين", new_source_name_en="The Kremlin", confirmed=True
            )
        ],
    )
    article = wire.create_draft(proposal, by=journalist, section=SectionFactory())
    assert article.credit.name_en == "Cedar News Agency"
    assert Tag.objects.get(name_ar="انسحاب").name_en == "Withdrawal"
    assert article.attributions.get().source.name_en == "The Kremlin"


def test_a_tag_made_by_name_while_english_is_active_gets_that_name_in_arabic():
    with translation.override("en"):
        tag = Tag.objects.create(name="طرطوس", slug="tartus")
    tag.refresh_from_db()
    assert tag.name_ar == "طرطوس" and tag.name_en is None
