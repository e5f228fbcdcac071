"""The story list as it stays usable at 100,000 stories: its date bar, its count of a long list, the
order of a search, the rows' checkboxes and the tag filter's choices."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.admin import ModelAdmin
from django.contrib.admin import site as admin_site
from django.urls import reverse
from django.utils import timezone

from articles.admin import counting
from articles.models import Article, Tag

from .factories import ArticleFactory, BylineFactory, indexed, published

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def updated(at: datetime, **fields) -> Article:
    """A story last changed at `at` (the newsroom's time)."""
    article = ArticleFactory(**fields)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.make_aware(at))
    return article


def date_bar(client, **params) -> list[str]:
    html = client.get(LIST, params).content.decode()
    bar = re.search(r'<nav class="toplinks">(.*?)</nav>', html, re.S)
    assert bar, "the list shows no date bar"
    return [" ".join(text.split()) for text in re.findall(r">([^<>]+)</a>", bar.group(1))]


def test_the_date_bar_offers_the_years_that_have_stories(client, editor):
    updated(datetime(2024, 3, 10, 12))
    updated(datetime(2026, 11, 5, 12))
    client.force_login(editor)
    assert date_bar(client) == ["2024", "2026"], "a year without stories is offered, or one with stories is missing"


def test_a_years_date_bar_offers_its_months_that_have_stories(client, editor):
    updated(datetime(2024, 3, 10, 12))
    updated(datetime(2024, 7, 1, 12))
    updated(datetime(2026, 11, 5, 12))
    client.force_login(editor)
    assert date_bar(client, updated_at__year="2024") == ["&lsaquo; كافة التواريخ", "آذار 2024", "تموز 2024"]


def test_the_date_bar_opens_at_the_months_when_every_story_is_in_one_year(client, editor):
    updated(datetime(2025, 1, 31, 12))
    updated(datetime(2025, 12, 1, 12))
    client.force_login(editor)
    assert date_bar(client) == ["&lsaquo; كافة التواريخ", "كانون الثاني 2025", "كانون الأول 2025"]


def test_a_months_date_bar_counts_days_in_the_newsrooms_time(client, editor):
    # 23:30 in Damascus on the 10th is already the 11th in no zone the newsroom uses, and 20:30 UTC.
    updated(datetime(2024, 3, 10, 23, 30))
    updated(datetime(2024, 3, 31, 0, 15))
    updated(datetime(2024, 4, 1, 0, 15))
    client.force_login(editor)
    assert date_bar(client, updated_at__year="2024", updated_at__month="3") == ["&lsaquo; 2024", "10 آذار", "31 آذار"]


def test_the_date_bar_keeps_the_lists_filters_in_its_links(client, editor):
    updated(datetime(2024, 3, 10, 12))
    updated(datetime(2026, 11, 5, 12))
    client.force_login(editor)
    html = client.get(LIST, {"status__exact": "draft"}).content.decode()
    assert 'href="?status__exact=draft&amp;updated_at__year=2024"' in html


def test_a_list_longer_than_the_exact_count_says_about(client, editor, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_LIMIT", 3)
    for _ in range(5):
        ArticleFactory()
    client.force_login(editor)
    response = client.get(LIST)
    cl = response.context["cl"]
    assert cl.paginator.estimated and cl.result_count > 3
    paginator = re.search(r'<p class="paginator">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert "الأخبار: نحو " in paginator, f"an estimated count reads as exact: {paginator!r}"


def test_a_list_within_the_exact_count_gives_the_number(client, editor, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_LIMIT", 5)
    for _ in range(5):
        ArticleFactory()
    client.force_login(editor)
    response = client.get(LIST)
    assert response.context["cl"].result_count == 5 and not response.context["cl"].paginator.estimated
    assert "نحو" not in re.search(r'<p class="paginator">(.*?)</p>', response.content.decode(), re.S).group(1)


def test_a_page_past_an_estimated_end_is_empty_not_an_error(client, editor, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_LIMIT", 3)
    monkeypatch.setattr(type(admin_site._registry[Article]), "list_per_page", 2)
    for _ in range(5):
        ArticleFactory()
    client.force_login(editor)
    response = client.get(LIST, {"p": "500"})
    assert response.status_code == 200, "a page past an estimated end sent the person away"
    assert list(response.context["cl"].result_list) == []


def test_a_search_lists_the_best_match_first(client, editor):
    in_the_body = indexed(ArticleFactory(headline_ar="اجتماع الحكومة", body_ar="<p>زيارة إلى حميميم.</p>"))
    in_the_headline = indexed(ArticleFactory(headline_ar="حميميم: وصول وفد", body_ar="<p>نص.</p>"))
    # The list's own order (newest first) would put the body match first.
    Article.objects.filter(pk=in_the_body.pk).update(publish_at=timezone.now())
    Article.objects.filter(pk=in_the_headline.pk).update(publish_at=timezone.now() - timedelta(days=10))
    client.force_login(editor)
    response = client.get(LIST, {"q": "حميميم"})
    assert list(response.context["cl"].result_list) == [in_the_headline, in_the_body]


def test_a_column_the_person_sorts_by_wins_over_the_best_match(client, editor):
    first = indexed(ArticleFactory(headline_ar="حميميم: وصول وفد", body_ar="<p>نص.</p>"))
    second = indexed(ArticleFactory(headline_ar="اجتماع الحكومة", body_ar="<p>زيارة إلى حميميم.</p>"))
    client.force_login(editor)
    # Column 1 is the headline (0 is the checkbox): ascending by headline puts "اجتماع" first.
    response = client.get(LIST, {"q": "حميميم", "o": "1"})
    assert list(response.context["cl"].result_list) == [second, first]


def test_a_rows_checkbox_is_djangos_own(editor):
    article = ArticleFactory(headline_ar='خبر "بين علامتين" <b> & غيره')
    story_admin = admin_site._registry[Article]
    assert story_admin.action_checkbox(article) == ModelAdmin.action_checkbox(story_admin, article)


def test_the_tag_filter_offers_only_tags_that_stories_use(client, editor):
    ArticleFactory(tags=["حلب"])
    Tag.objects.create(name="غير مستعمل")
    client.force_login(editor)
    html = client.get(LIST).content.decode()
    assert ">حلب</option>" in html and "غير مستعمل" not in html


def test_show_counts_counts_each_tag_and_author_within_the_lists_other_filters(client, editor, journalist):
    first, second = ArticleFactory(tags=["حلب", "دمشق"]), ArticleFactory(tags=["حلب"])
    published(tags=["حلب"])  # left out by the state filter below
    for article in (first, second):
        BylineFactory(article=article, author=journalist)
    client.force_login(editor)
    html = client.get(LIST, {"_facets": "True", "status__exact": "draft"}).content.decode()
    assert ">حلب (2)</option>" in html and ">دمشق (1)</option>" in html
    assert f">{journalist} (2)</option>" in html
