"""The story list and the dashboard cost a fixed number of queries, however many stories there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ArticleFactory, AttributionFactory, BylineFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_stories(n):
    for _ in range(n):
        article = ArticleFactory()
        BylineFactory(article=article, author=UserFactory())
        BylineFactory(article=article, author=UserFactory())
        AttributionFactory(article=article)
        article.tags.set(["روسيا", "سوريا"])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


# The story list: its page, counts, bylines, date bar, one query for each drop-down filter's
# choices (sections, authors, tags), and one for the second factor that verified the session
# (django-otp's device). Every admin page adds one for the header's count of new notifications; the
# home adds the desk: my assignments and the figures (published, their sections, returns,
# submit-to-publish overall, slowest and per day, today's budget and its sections).
@pytest.mark.parametrize(("url_name", "expected"), [("admin:articles_article_changelist", 15), ("admin:index", 26)])
def test_query_count_does_not_grow_with_the_number_of_stories(client, editor, url_name, expected):
    client.force_login(editor)
    url = reverse(url_name)
    make_stories(3)
    few, sql = count_queries(client, url)
    assert few == expected, f"{url_name}: {few} queries, expected {expected}:\n{sql}"
    make_stories(12)
    many, sql = count_queries(client, url)
    assert many == few, f"{url_name}: {many} queries with 15 stories, {few} with 3:\n{sql}"
