"""Sitemaps and robots.txt: an index split into files of at most 50,000 URLs, Google News, encoding."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import sitemaps

from .factories import SectionFactory, published

pytestmark = pytest.mark.django_db


def parse(content: bytes):
    return ET.fromstring(content)  # noqa: S314 (our own server's output, in a test)


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def site(settings):
    cache.clear()
    settings.SITE_URL = "https://news.example"


@pytest.fixture
def story(db):
    return published(
        section=SectionFactory(slug="syria"),
        slug="روسيا-تنسحب",
        headline_ar="روسيا تنسحب",
        headline_en="Russia pulls out",
        body_en="<p>x</p>",
        tags=["روسيا"],
    )


def locations(path, client):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return [e.text for e in parse(response.content).iter(f"{SM}loc")]


def test_index_lists_stories_sections_and_tags_in_both_languages(client, story):
    assert locations("/sitemap.xml", client) == [
        f"https://news.example/sitemap-{kind}-{language}.xml"
        for language in ("ar", "en")
        for kind in ("stories", "sections", "tags")
    ]


def test_story_sitemap_has_percent_encoded_arabic_urls_in_each_language(client, story):
    encoded = quote("روسيا-تنسحب")
    assert locations("/sitemap-stories-ar.xml", client) == [f"https://news.example/syria/{story.pk}/{encoded}/"]
    assert locations("/sitemap-stories-en.xml", client) == [f"https://news.example/en/syria/{story.pk}/{encoded}/"]
    assert locations("/sitemap-tags-ar.xml", client) == [f"https://news.example/tag/{quote('روسيا')}/"]


def test_index_splits_a_sitemap_past_its_limit(client, story, monkeypatch):
    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 1)
    published(section=story.section)
    index = locations("/sitemap.xml", client)
    assert "https://news.example/sitemap-stories-ar.xml" in index
    assert "https://news.example/sitemap-stories-ar.xml?p=2" in index
    assert len(locations("/sitemap-stories-ar.xml?p=2", client)) == 1


def test_news_sitemap_holds_the_last_48_hours_with_publication_and_language(client, story):
    old = published(section=story.section, headline_ar="خبر قديم")
    old.first_published_at = old.publish_at = timezone.now() - timedelta(hours=49)
    old.save()
    root = parse(client.get("/news-sitemap.xml").content)
    urls = root.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        f"https://news.example/syria/{story.pk}/{quote('روسيا-تنسحب')}/",
        f"https://news.example/en/syria/{story.pk}/{quote('روسيا-تنسحب')}/",
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "وكالة تليسكوب الإخبارية"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ar"
    assert news.findtext(f"{NEWS}title") == "روسيا تنسحب"
    assert urls[1].find(f"{NEWS}news").findtext(f"{NEWS}publication/{NEWS}name") == "Telescope News Agency"
    assert news.findtext(f"{NEWS}publication_date")


def test_news_sitemap_stops_at_1000(client, story, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 1)
    root = parse(client.get("/news-sitemap.xml").content)
    assert len(root.findall(f"{SM}url")) == 1


def test_robots_points_to_both_sitemaps_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://news.example/sitemap.xml" in text
    assert "Sitemap: https://news.example/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text
