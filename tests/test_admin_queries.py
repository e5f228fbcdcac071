"""The admin's pages cost a fixed number of queries, however many stories there are and however many
bylines, tags, sources and corrections each has: the story list, its search, a story's page and
the dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Tag

from .factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    CorrectionFactory,
    SourceFactory,
    UserFactory,
    indexed,
    published,
)

pytestmark = pytest.mark.django_db

TAGS = ["روسيا", "سوريا", "دمشق", "حلب", "اقتصاد"]


def make_stories(n, bylines=2, tags=2):
    for _ in range(n):
        article = ArticleFactory(headline_ar="دمشق: اجتماع للحكومة")
        for position in range(bylines):
            BylineFactory(article=article, author=UserFactory(), position=position)
        AttributionFactory(article=article)
        article.tags.set(TAGS[:tags])
        indexed(article)


def story_with(bylines: int, tags: int, sources: int, corrections: int):
    """A published story (so its corrections show) with that many of each; one source anonymous."""
    article = published(tags=TAGS[:tags])
    for position in range(bylines):
        BylineFactory(article=article, author=UserFactory(), position=position)
    for position in range(sources):
        AttributionFactory(article=article, source=SourceFactory(), is_anonymous=position == 0, position=position)
    for _ in range(corrections):
        CorrectionFactory(article=article)
    return article


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


# The story list: the session, the person, their second factor (editors), their rights, the
# drop-down filters' choices (sections, authors, tags), the bounded count, the page of stories,
# their bylines, the header's count of new notifications, the date bar's bounds and its periods.
# A journalist has no second factor to look up. The home adds the desk: my assignments and the
# figures (published, their sections, returns, submit-to-publish overall, slowest and per day,
# today's budget and its sections).
@pytest.mark.parametrize(
    ("who", "url_name", "params", "expected"),
    [
        ("editor", "admin:articles_article_changelist", {}, 14),
        ("journalist", "admin:articles_article_changelist", {}, 13),
        ("editor", "admin:articles_article_changelist", {"q": "دمشق"}, 14),
        ("editor", "admin:articles_article_changelist", {"tag": "سوريا", "status__exact": "draft"}, 14),
        ("editor", "admin:index", {}, 26),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_stories(client, request, who, url_name, params, expected):
    client.force_login(request.getfixturevalue(who))
    url = reverse(url_name)
    make_stories(3, bylines=1, tags=2)
    if "tag" in params:
        params = {**params, "tag": Tag.objects.get(name_ar=params["tag"]).slug}
    few, sql = count_queries(client, url, params)
    assert few == expected, f"{url_name} {params}: {few} queries, expected {expected}:\n{sql}"
    make_stories(12, bylines=4, tags=5)
    many, sql = count_queries(client, url, params)
    assert many == few, f"{url_name} {params}: {many} queries with 15 stories, {few} with 3:\n{sql}"


# A story's page: the session, the person, their second factor, their rights, the story (with its
# section, credit and writer), its tags, its bylines, sources and corrections (each with the
# person or source it names), its preview links, its workflow history, the sections to choose
# from, and the desk's: new notifications, the budget item, live coverage, the person's unsaved
# typing, sources the import proposed. A chief editor sees who anonymous sources are: their
# attributions are read once more, and the audit trail gets an entry for each such source (one
# here). A journalist reads the story: no preview links, its tags once more as text.
@pytest.mark.parametrize(("who", "expected"), [("chief", 20), ("editor", 18), ("journalist", 16)])
def test_a_storys_page_costs_the_same_whatever_it_holds(client, request, who, expected):
    client.force_login(request.getfixturevalue(who))
    small = story_with(bylines=1, tags=1, sources=1, corrections=1)
    large = story_with(bylines=5, tags=5, sources=4, corrections=3)
    # What a running server has already cached (content types) is not the page's cost.
    client.get(reverse("admin:articles_article_change", args=[story_with(1, 1, 1, 1).pk]))
    few, sql = count_queries(client, reverse("admin:articles_article_change", args=[small.pk]))
    assert few == expected, f"{who}: {few} queries for a story with one of each, expected {expected}:\n{sql}"
    many, sql = count_queries(client, reverse("admin:articles_article_change", args=[large.pk]))
    assert many == few, f"{who}: {many} queries for a story with five bylines and tags, {few} with one:\n{sql}"
