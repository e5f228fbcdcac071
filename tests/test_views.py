"""The reader's pages: what a reader sees on each, in Arabic and in English."""

import json
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Status
from articles.views import PAGE_SIZE, render_story, story_queryset

from .factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    published,
)

pytestmark = pytest.mark.django_db


def english(**fields):
    fields.setdefault("headline_en", "Ministers meet in Amman")
    fields.setdefault("body_en", "<p>The ministers met.</p>")
    return published(**fields)


def ar(article) -> str:
    # The test client leaves the last request's language active; name the edition explicitly.
    with translation.override("ar"):
        return article.get_absolute_url()


def en(article) -> str:
    with translation.override("en"):
        return article.get_absolute_url()


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "the page has no JSON-LD block"
    return json.loads(match.group(1))


@pytest.fixture
def story(db):
    section = SectionFactory(slug="syria", name_ar="سوريا", name_en="Syria")
    article = english(
        section=section,
        headline_ar="روسيا تبدأ سحب قواتها",
        headline_en="Russia begins pulling forces out",
        deck_ar="أربعة مسؤولين سوريين يؤكدون الانسحاب",
        body_ar="<h2>ردود فعل موسكو</h2><p>نص الخبر الكامل.</p>",
        dateline_ar="دمشق",
        slug="روسيا-تبدأ-سحب-قواتها",
        lead_image=ImageFactory(),
        tags=["روسيا", "سوريا"],
    )
    BylineFactory(article=article, author=UserFactory(display_name_ar="سارة الحلبي", slug="sara"))
    return article


def test_home_shows_the_lead_story_the_latest_and_a_block_per_section(client):
    politics = SectionFactory(slug="politics", name_ar="سياسة")
    economy = SectionFactory(slug="economy", name_ar="اقتصاد")
    lead = published(section=politics, headline_ar="الخبر الرئيسي", is_featured=True)
    newer = published(section=economy, headline_ar="خبر اقتصادي أحدث", publish_at=timezone.now() - timedelta(minutes=1))
    breaking = published(section=politics, headline_ar="خبر عاجل جدا", urgency=3)
    html = client.get("/").content.decode()
    assert 'class="lead-story"' in html and lead.headline_ar in html.split('class="latest"')[0]
    assert newer.headline_ar in html.split('class="latest"')[1]
    assert breaking.headline_ar in html.split('class="breaking"')[1].split("</section>")[0]
    assert 'id="block-1"' in html and ">سياسة</a></h2>" in html and ">اقتصاد</a></h2>" in html


def test_story_page_has_every_part_a_reader_expects(client, story):
    CorrectionFactory(article=story, text_ar="صُحّح اسم المدينة.")
    AttributionFactory(
        article=story, source=SourceFactory(name_ar="الكرملين", slug="kremlin"), description_ar="الكرملين"
    )
    related = published(section=story.section, headline_ar="خبر ذو صلة")
    response = client.get(ar(story))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="story-headline">روسيا تبدأ سحب قواتها</h1>' in html
    assert "أربعة مسؤولين سوريين يؤكدون الانسحاب" in html
    assert 'href="/author/sara/"' in html and "سارة الحلبي" in html
    assert '<span class="dateline">دمشق</span>' in html
    assert "<h2>ردود فعل موسكو</h2>" in html
    assert "صُحّح اسم المدينة." in html
    assert 'href="/source/kremlin/"' in html
    assert 'href="/tag/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/"' in html
    assert related.headline_ar in html.split('class="related"')[1]
    assert story.lead_image.credit in html and "رتل من الدبابات" in html
    assert "<script src" not in html, "no third-party (or any) scripts on a story page"


def test_story_dates_read_in_arabic_with_arabic_indic_digits(client, story, settings):
    story.first_published_at = story.publish_at = timezone.make_aware(timezone.datetime(2026, 11, 24, 10, 30))
    story.save()
    html = client.get(ar(story)).content.decode()
    assert "٢٤ تشرين الثاني ٢٠٢٦، ١٠:٣٠" in html
    settings.ARABIC_DIGITS = "latin"
    from articles import cache

    cache.invalidate_all()
    assert "24 تشرين الثاني 2026، 10:30" in client.get(ar(story)).content.decode()


def test_anonymous_source_shows_only_its_description_never_its_name_or_link(client, story):
    secret = SourceFactory(name_ar="العميد فلان الفلاني", name_en="Brigadier So-and-so", slug="brigadier-x")
    AttributionFactory(
        article=story,
        source=secret,
        description_ar="ضابط سوري كبير",
        description_en="a senior officer",
        is_anonymous=True,
    )
    for url in (ar(story), en(story)):
        html = client.get(url).content.decode()
        assert ("ضابط سوري كبير" in html) or ("a senior officer" in html)
        assert "فلان" not in html and "So-and-so" not in html and "brigadier-x" not in html
    assert client.get("/source/brigadier-x/").status_code == 404


def test_story_carries_json_ld_open_graph_twitter_and_canonical(client, story, settings):
    settings.SITE_URL = "https://news.example"
    html = client.get(ar(story)).content.decode()
    data = jsonld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "روسيا تبدأ سحب قواتها"
    assert data["inLanguage"] == "ar" and data["articleSection"] == "سوريا"
    assert data["author"][0]["name"] == "سارة الحلبي"
    assert data["publisher"]["logo"]["url"].startswith("https://news.example/static/img/logo")
    assert data["datePublished"] and data["dateModified"] and data["image"][0].startswith("https://news.example/")
    canonical = f"https://news.example{ar(story)}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:title" content="روسيا تبدأ سحب قواتها">' in html


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, story):
    story.headline_ar = "عنوان </script><script>alert(1)</script>"
    story.save()
    html = client.get(ar(story)).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld(html)["headline"] == story.headline_ar


def test_changed_slug_or_section_answers_301_to_the_canonical_url(client, story):
    for path in (
        reverse("articles:story", kwargs={"section": "syria", "pk": story.pk, "slug": "old-slug"}),
        reverse("articles:story", kwargs={"section": "world", "pk": story.pk, "slug": story.slug}),
    ):
        response = client.get(path)
        assert response.status_code == 301
        assert unquote(response["Location"]) == unquote(ar(story))


def test_unpublished_story_answers_410_without_its_content(client, story):
    story.status = Status.UNPUBLISHED
    story.save()
    response = client.get(ar(story))
    assert response.status_code == 410
    html = response.content.decode()
    assert "روسيا تبدأ سحب قواتها" not in html and "نص الخبر الكامل" not in html
    with translation.override("ar"):
        assert "سُحب هذا الخبر" in html
    assert "withdrawn" in client.get(en(story)).content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_unpublished_work_and_missing_stories_answer_404_alike(client, story, status):
    draft = ArticleFactory(status=status, section=story.section)
    missing = client.get(reverse("articles:story", kwargs={"section": "syria", "pk": 999999, "slug": "x"}))
    response = client.get(ar(draft))
    assert response.status_code == missing.status_code == 404
    assert draft.headline_ar not in response.content.decode()


def test_scheduled_story_is_404_until_its_time(client, story):
    later = published(section=story.section, publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(ar(later)).status_code == 404


def test_listings_paginate_twenty_a_page_and_404_past_the_end(client):
    section = SectionFactory(slug="economy")
    for _ in range(PAGE_SIZE + 1):
        published(section=section)
    first = client.get("/section/economy/")
    assert first.content.decode().count('class="card"') == PAGE_SIZE
    assert 'href="?page=2"' in first.content.decode()
    assert client.get("/section/economy/?page=2").content.decode().count('class="card"') == 1
    assert client.get("/section/economy/?page=3").status_code == 404
    assert client.get("/section/economy/?page=x").status_code == 404


def test_listing_pages_link_their_feeds(client, story):
    html = client.get("/section/syria/").content.decode()
    assert 'href="/feeds/section/syria/"' in html and 'type="application/rss+xml"' in html
    tag_html = client.get(story.tags.first().get_absolute_url()).content.decode()
    assert "/feeds/tag/" in tag_html


def test_tag_source_and_author_pages_list_their_stories(client, story):
    source = SourceFactory(slug="kremlin")
    AttributionFactory(article=story, source=source)
    author = story.bylines.get().author
    for path in ("/tag/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/", "/source/kremlin/", f"/author/{author.slug}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert story.headline_ar in response.content.decode(), path


def test_english_edition_lists_only_translated_stories_left_to_right(client, story):
    arabic_only = published(section=story.section, headline_ar="خبر بالعربية فقط")
    html = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Russia begins pulling forces out" in html and arabic_only.headline_ar not in html
    assert client.get(en(arabic_only)).status_code == 404
    assert client.get(en(story)).status_code == 200


def test_every_page_has_a_language_switch_and_hreflang_alternates(client, story, settings):
    settings.SITE_URL = "https://news.example"
    html = client.get(ar(story)).content.decode()
    assert f'hreflang="en" href="https://news.example{en(story)}"' in html
    assert f'hreflang="ar" href="https://news.example{ar(story)}"' in html
    assert f'class="language-switch" href="{en(story)}"' in html
    english_html = client.get("/en/section/syria/").content.decode()
    assert 'class="language-switch" href="/section/syria/"' in english_html
    arabic_only = published(section=story.section)
    html = client.get(ar(arabic_only)).content.decode()
    assert 'rel="alternate" hreflang="en"' not in html, "no English alternate for a story without a translation"
    assert 'class="language-switch" href="/en/"' in html


def test_header_search_box_submits_to_search(client, story):
    html = client.get("/").content.decode()
    assert f'action="{reverse("articles:search")}" method="get"' in html and 'name="q"' in html


@pytest.mark.parametrize(("path", "status", "text"), [("/no-such-page/", 404, "الصفحة غير موجودة")])
def test_error_pages_are_styled_and_in_the_readers_language(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert text in html and "css/site.css" in html
    assert "Page not found" in client.get("/en" + path).content.decode()


def test_server_error_page_renders_without_the_database():
    from django.template.loader import render_to_string

    with translation.override("ar"):
        html = render_to_string("500.html")
    assert 'dir="rtl"' in html and "حدث خطأ" in html


def test_preview_of_a_draft_is_noindex_and_never_cached(rf, story):
    draft = ArticleFactory(section=story.section, headline_ar="مسودة للمعاينة")
    request = rf.get("/preview/")
    with translation.override("ar"):
        article = story_queryset(type(draft).objects.all()).get(pk=draft.pk)
        response = render_story(request, article, preview=True)
    html = response.content.decode()
    assert "مسودة للمعاينة" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_latin_names_inside_arabic_are_isolated(client, story):
    story.lead_image.credit = "AFP"
    story.lead_image.save()
    html = client.get(ar(story)).content.decode()
    assert "<bdi>AFP</bdi>" in html
    assert '<input id="site-search" type="search" name="q" value="" placeholder=' in html and 'dir="auto"' in html


def test_the_breaking_strip_follows_urgency(client):
    section = SectionFactory(slug="syria")
    flash = published(section=section, headline_ar="خبر فلاش", urgency=1)
    urgent = published(section=section, headline_ar="خبر عاجل", urgency=3)
    important = published(section=section, headline_ar="خبر مهم غير عاجل", urgency=4)
    html = client.get("/").content.decode()
    strip = html.split('class="breaking"')[1].split("</section>")[0]
    assert flash.headline_ar in strip and urgent.headline_ar in strip
    assert important.headline_ar not in strip


def test_an_issued_update_shows_its_time_and_note_and_a_quiet_fix_does_not(client, editor):
    from django.core.cache import cache

    from articles import workflow

    article = ArticleFactory(section=SectionFactory(slug="syria"), status=Status.APPROVED, slug="zilzal")
    workflow.transition(article, "publish", editor)
    article.headline_ar = "عنوان صُحّح فيه خطأ إملائي"
    article.save()
    quiet = client.get(article.get_absolute_url()).content.decode()
    assert 'class="updated"' not in quiet and "update-note" not in quiet
    cache.clear()
    workflow.transition(article, "update", editor, "ارتفعت الحصيلة إلى اثني عشر قتيلاً")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="updated"' in page
    assert "ارتفعت الحصيلة إلى اثني عشر قتيلاً" in page.split('class="update-note"')[1]
