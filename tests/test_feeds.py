"""RSS 2.0 and Atom feeds: latest, per section, per tag, in both editions."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import timezone

from .factories import SectionFactory, published

pytestmark = pytest.mark.django_db


def parse(content: bytes):
    return ET.fromstring(content)  # noqa: S314 (our own server's output, in a test)


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def stories(db, settings):
    settings.SITE_URL = "https://news.example"
    syria = SectionFactory(slug="syria", name_ar="سوريا", name_en="Syria")
    world = SectionFactory(slug="world")
    now = timezone.now()
    return {
        "syria": published(
            section=syria,
            headline_ar="خبر من سوريا",
            headline_en="A story from Syria",
            body_en="<p>x</p>",
            summary_ar="ملخص الخبر",
            slug="خبر-من-سوريا",
            tags=["روسيا"],
            publish_at=now - timedelta(minutes=1),
        ),
        "world": published(section=world, headline_ar="خبر من العالم", slug="world-story"),
    }


def rss_items(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return parse(response.content).findall("./channel/item")


def test_latest_rss_lists_public_stories_newest_first_with_absolute_encoded_links(client, stories):
    items = rss_items(client.get("/feeds/latest/"))
    assert [item.findtext("title") for item in items] == ["خبر من سوريا", "خبر من العالم"]
    link = items[0].findtext("link")
    assert link == f"https://news.example/syria/{stories['syria'].pk}/{quote('خبر-من-سوريا')}/"
    assert items[0].findtext("description") == "ملخص الخبر"
    assert {c.text for c in items[0].findall("category")} == {"سوريا", "روسيا"}
    assert items[0].findtext("pubDate")
    channel = parse(client.get("/feeds/latest/").content).find("channel")
    assert channel.findtext("language") == "ar"


def test_atom_feed_is_valid_atom(client, stories):
    response = client.get("/feeds/latest/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response.content)
    assert root.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["خبر من سوريا", "خبر من العالم"]
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://news.example/feeds/latest/atom/"


def test_section_and_tag_feeds_hold_only_their_stories(client, stories):
    assert [i.findtext("title") for i in rss_items(client.get("/feeds/section/syria/"))] == ["خبر من سوريا"]
    assert [i.findtext("title") for i in rss_items(client.get(f"/feeds/tag/{quote('روسيا')}/"))] == ["خبر من سوريا"]
    assert client.get("/feeds/section/nowhere/").status_code == 404


def test_english_feeds_hold_only_translated_stories_in_english(client, stories):
    items = rss_items(client.get("/en/feeds/latest/"))
    assert [i.findtext("title") for i in items] == ["A story from Syria"]
    assert items[0].findtext("link").startswith("https://news.example/en/syria/")
    channel = parse(client.get("/en/feeds/latest/").content).find("channel")
    assert channel.findtext("language") == "en"
    assert [i.findtext("title") for i in rss_items(client.get("/en/feeds/section/syria/"))] == ["A story from Syria"]
    atom = parse(client.get("/en/feeds/section/syria/atom/").content)
    assert len(atom.findall(f"{ATOM}entry")) == 1


def test_feed_guid_stays_when_the_slug_changes(client, stories):
    story = stories["syria"]
    before = rss_items(client.get("/feeds/latest/"))[0].findtext("guid")
    story.slug = "slug-جديد"
    story.save()
    cache.clear()
    assert rss_items(client.get("/feeds/latest/"))[0].findtext("guid") == before
