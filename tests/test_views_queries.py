"""Each public page is built in a fixed number of queries, whatever it lists.

Counts are exact. `render` counts a page built from scratch (a signed-in reader bypasses the page
cache, so a session cookie gives the uncached path); `cached` counts an anonymous repeat visit,
served from the shared database cache by the page cache's fast path.
"""

import pytest
from django.core.cache import cache
from django.utils import translation

from articles import cache as page_cache

from .factories import (
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


# Uncached builds of each page. The home page: lead, breaking, latest, section blocks, sections.
QUERIES = {
    # A listing whose cards show pictures adds one query for all its pictures' renditions.
    "home": 3,  # which stories go where (sections with the ids of their newest, the newest, the
    "home-en": 3,  # featured lead, breaking), those stories, the renditions of every picture shown
    "section": 5,  # the section, count, the page of stories, sections (+1 renditions)
    "tag": 5,
    "source": 5,
    "author": 5,
    "story": 2,  # story (+ section, image, credit, English?, live coverage, and as JSON its bylines,
    "story-en": 2,  # attributions, tags, corrections, picture renditions, the sections), related stories
    "feed": 2,  # stories, their tags
    "section-feed": 3,  # + the section
    "tag-feed": 4,  # + the tag, and whether it has public stories at all
    "sitemap-index": 6,  # one count per sitemap (stories, sections, tags × 2 languages)
    "sitemap-stories": 2,  # count, page
    "news-sitemap": 2,  # one per language
}
# A cache hit reads the generation record and the page in one round trip: one query on the
# database cache (none on Redis: tests/test_pagecache.py).
CACHED_QUERIES = 1


def build(n: int) -> dict[str, str]:
    """A newsroom where every list on every page has `n` entries."""
    section = SectionFactory(slug="syria")
    for i in range(n):
        SectionFactory(slug=f"other-{i}")
    tags = [f"وسم {i}" for i in range(n)]
    source = SourceFactory(slug="kremlin")
    authors = [UserFactory(slug="sara"), *(UserFactory() for _ in range(n - 1))]
    image = ImageFactory(file__width=160, file__height=90)
    stories = []
    for i in range(n):
        story = published(
            section=section,
            tags=tags,
            headline_en=f"Story {i}",
            body_en="<p>Text.</p>",
            lead_image=image,
            urgency=3,
        )
        for j in range(n):
            BylineFactory(article=story, author=authors[j], position=j)
            AttributionFactory(article=story, source=source, is_anonymous=bool(j % 2))
            CorrectionFactory(article=story)
        stories.append(story)
    story = stories[0]
    with translation.override("ar"):
        paths = {
            "home": "/",
            "section": "/section/syria/",
            "tag": story.tags.first().get_absolute_url(),
            "source": "/source/kremlin/",
            "author": "/author/sara/",
            "story": story.get_absolute_url(),
            "feed": "/feeds/latest/",
            "section-feed": "/feeds/section/syria/",
            "tag-feed": f"/feeds/tag/{story.tags.first().slug}/",
            "sitemap-index": "/sitemap.xml",
            "sitemap-stories": "/sitemap-stories-ar.xml",
            "news-sitemap": "/news-sitemap.xml",
        }
    with translation.override("en"):
        paths["home-en"] = "/en/"
        paths["story-en"] = story.get_absolute_url()
    return paths


@pytest.mark.parametrize("n", [2, 6])
@pytest.mark.parametrize("page", list(QUERIES))
def test_page_is_built_in_a_fixed_number_of_queries(client, django_assert_num_queries, page, n):
    path = build(n)[page]
    client.cookies["sessionid"] = "not-a-session"  # bypass the page cache
    page_cache.generation()
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(path)
    assert response.status_code == 200, path


@pytest.mark.parametrize("page", ["home", "story", "feed", "sitemap-index"])
def test_cached_page_costs_one_cache_read(client, django_assert_num_queries, page):
    path = build(2)[page]
    cache.clear()
    page_cache.generation()
    client.get(path)
    with django_assert_num_queries(CACHED_QUERIES):
        assert client.get(path).status_code == 200
