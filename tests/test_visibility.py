"""Nothing that is not public appears on any public surface, in either edition.

Drafts, submitted, approved, scheduled, embargoed, unpublished and killed stories share a
section, tags, a source, an author and an English translation with a published one; then every
page, listing, search, feed and sitemap is walked and searched for any trace of them.
"""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from articles import search, workflow
from articles.models import WITHDRAWN, Article, Status

from .factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    published,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": Status.DRAFT},
    "submitted": {"status": Status.SUBMITTED},
    "approved": {"status": Status.APPROVED},
    "scheduled": {"status": Status.PUBLISHED, "future": True},
    "embargoed": {"status": Status.PUBLISHED, "embargo": True},
    "unpublished": {"status": Status.UNPUBLISHED},
    "killed": {"status": Status.KILLED},
}


@pytest.fixture
def newsroom(db):
    cache.clear()
    section = SectionFactory(slug="syria", name_ar="سوريا", name_en="Syria")
    source = SourceFactory(slug="kremlin", name_ar="الكرملين")
    author = UserFactory(slug="sara", display_name_ar="سارة")
    shared_tags = ["روسيا", "سوريا"]

    def cite(article):
        BylineFactory(article=article, author=author)
        AttributionFactory(article=article, source=source, description_ar="الكرملين")

    visible = published(
        section=section, headline_ar="خبر منشور", headline_en="Published story", body_en="<p>x</p>", tags=shared_tags
    )
    cite(visible)
    hidden = []
    now = timezone.now()
    for name, state in HIDDEN_STATES.items():
        marker = f"HIDDEN{name.upper()}"
        fields = {
            "section": section,
            "status": state["status"],
            "headline_ar": f"خبر {marker}",
            "headline_en": f"Story {marker}",
            "body_ar": f"<p>{marker}</p>",
            "body_en": f"<p>{marker}</p>",
            "summary_ar": marker,
            "slug": f"slug-{name}",
            "urgency": 1,
            "is_featured": True,
            # Newer than the published story, so any leak would top every list.
            "tags": [*shared_tags, f"وسم-{name}"],
        }
        if state["status"] in (Status.PUBLISHED, *WITHDRAWN):
            fields["publish_at"] = now + timedelta(hours=2) if state.get("future") else now - timedelta(minutes=1)
            fields["first_published_at"] = fields["publish_at"]
        if state.get("embargo"):
            fields["embargo_until"] = now + timedelta(hours=2)
        article = ArticleFactory(**fields)
        cite(article)
        hidden.append((marker, article))
    # A source cited only by hidden stories, and an author with only hidden bylines.
    only_hidden_source = SourceFactory(slug="only-hidden", name_ar="مصدر خفي HIDDENSOURCE")
    only_hidden_author = UserFactory(slug="only-hidden-author", display_name_ar="HIDDENAUTHOR")
    for _marker, article in hidden:
        AttributionFactory(article=article, source=only_hidden_source)
        BylineFactory(article=article, author=only_hidden_author)
    search.update_documents(Article.objects.values_list("pk", flat=True))
    return visible, hidden


def public_paths(visible):
    paths = []
    for language, prefix in (("ar", ""), ("en", "/en")):
        with translation.override(language):
            story_url = visible.get_absolute_url()
        tag = quote("روسيا")
        paths += [
            f"{prefix}/",
            f"{prefix}/section/syria/",
            f"{prefix}/tag/{tag}/",
            f"{prefix}/source/kremlin/",
            f"{prefix}/author/sara/",
            story_url,
            f"{prefix}/feeds/latest/",
            f"{prefix}/feeds/latest/atom/",
            f"{prefix}/feeds/section/syria/",
            f"{prefix}/feeds/section/syria/atom/",
            f"{prefix}/feeds/tag/{tag}/",
            f"{prefix}/feeds/tag/{tag}/atom/",
            # Every hidden story's headline holds the word the published one's does.
            f"{prefix}/search/?q={quote('خبر') if language == 'ar' else 'Story'}",
            f"{prefix}/search/?q={quote('خبر') if language == 'ar' else 'Story'}&order=newest",
        ]
    paths += ["/sitemap.xml", "/news-sitemap.xml", "/robots.txt"]
    paths += [
        f"/sitemap-{kind}-{language}.xml" for kind in ("stories", "sections", "tags") for language in ("ar", "en")
    ]
    return paths


def test_no_public_surface_shows_anything_not_public(client, newsroom):
    visible, hidden = newsroom
    for path in public_paths(visible):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "HIDDEN" not in body, f"{path} shows a hidden story: {re.findall(r'HIDDEN[A-Z]+', body)}"
        for name in HIDDEN_STATES:
            assert f"slug-{name}" not in body, f"{path} links the {name} story"
            assert quote(f"وسم-{name}") not in body and f"وسم-{name}" not in body, f"{path} names a hidden tag"
        for _marker, article in hidden:
            assert f"/{article.pk}/" not in body, f"{path} links story {article.pk}"
    visible_html = client.get(public_paths(visible)[5]).content.decode()
    assert "خبر منشور" in visible_html


def test_listing_counts_only_public_stories(client, newsroom):
    visible, _hidden = newsroom
    for _ in range(19):
        published(section=visible.section)
    # 20 public stories and 5 hidden ones in the section: exactly one page.
    assert client.get("/section/syria/").status_code == 200
    assert client.get("/section/syria/?page=2").status_code == 404


def test_hidden_stories_their_only_tags_sources_and_authors_are_not_found(client, newsroom):
    _visible, hidden = newsroom
    for marker, article in hidden:
        for language in ("ar", "en"):
            with translation.override(language):
                path = article.get_absolute_url()
            response = client.get(path)
            expected = 410 if article.status in WITHDRAWN else 404
            assert response.status_code == expected, (marker, path)
            assert marker not in response.content.decode()
        name = marker.removeprefix("HIDDEN").lower()
        tag = quote(f"وسم-{name}")
        for path in (f"/tag/{tag}/", f"/feeds/tag/{tag}/", f"/en/tag/{tag}/"):
            assert client.get(path).status_code == 404, path
    for path in ("/source/only-hidden/", "/author/only-hidden-author/", "/en/author/only-hidden-author/"):
        assert client.get(path).status_code == 404, path


def test_an_embargoed_story_appears_everywhere_at_its_minute_with_no_job(client, newsroom, monkeypatch):
    _visible, hidden = newsroom
    embargoed = dict(hidden)["HIDDENEMBARGOED"]
    home = client.get("/").content.decode()
    assert "HIDDENEMBARGOED" not in home, "the embargoed story shows before its time"
    later = embargoed.embargo_until + timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    # The same cached page, asked for again once the minute has passed: a new generation.
    assert "HIDDENEMBARGOED" in client.get("/").content.decode(), "the cached front page kept the embargo"
    assert client.get(embargoed.get_absolute_url()).status_code == 200
    assert "HIDDENEMBARGOED" in client.get("/feeds/latest/").content.decode()


def test_a_killed_story_leaves_every_cached_surface_at_once(
    client, newsroom, editor, django_capture_on_commit_callbacks
):
    visible, _hidden = newsroom
    paths = public_paths(visible)
    for path in paths:
        client.get(path)  # every page cached with the story on it
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(visible, "kill", editor, "أمر قضائي")
    response = client.get(visible.get_absolute_url())
    assert response.status_code == 410
    assert "خبر منشور" not in response.content.decode()
    for path in paths:
        body = client.get(path).content.decode()
        assert "خبر منشور" not in body and f"/{visible.pk}/" not in body, f"{path} still shows the killed story"


@pytest.mark.parametrize("headline_en", ["", None, "Ministers meet"])
@pytest.mark.parametrize("body_en", ["", None, "<p>They met.</p>"])
def test_a_loaded_story_knows_its_english_edition_as_the_public_query_does(headline_en, body_en):
    from articles.visibility import has_language

    story = published(headline_en=headline_en, body_en=body_en)
    loaded = Article.objects.get(pk=story.pk)
    in_query = Article.objects.public("en").filter(pk=story.pk).exists()
    assert has_language(loaded, "en") == in_query, f"headline_en={headline_en!r}, body_en={body_en!r}"
    assert has_language(loaded, "ar")
