"""How far a search reads: the newest DEPTH matches by publication windows, the newest headline
matches beyond them, and a count that says "more than" past the depth.

The depths are lowered here so that a few stories stand for the tens of thousands of a common word.
"""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from articles import search
from articles.models import Article, Status
from tests.factories import ArticleFactory, SectionFactory, indexed, published

pytestmark = pytest.mark.django_db


def story(days_ago: float, text: str = "قال مسؤولون إن حميميم هادئة", headline: str = "خبر من الوكالة", **fields):
    publish_at = timezone.now() - timedelta(days=days_ago)
    return indexed(published(headline_ar=headline, body_ar=f"<p>{text}</p>", publish_at=publish_at, **fields))


def found(query: str, **filters) -> list[int]:
    return list(search.search_articles(query, **filters).values_list("pk", flat=True))


@pytest.fixture
def depth(monkeypatch):
    def set_depth(matches: int, headlines: int = search.HEADLINE_DEPTH):
        monkeypatch.setattr(search, "DEPTH", matches)
        monkeypatch.setattr(search, "HEADLINE_DEPTH", headlines)

    return set_depth


def test_an_old_headline_match_outranks_many_newer_body_matches_beyond_the_depth(depth):
    depth(5)
    body_matches = [story(days_ago=n) for n in range(1, 13)]
    in_headline = story(days_ago=700, text="نص آخر", headline="الطائرات تغادر حميميم")
    results = found("حميميم")
    assert results[0] == in_headline.pk, "the best match, a headline match, was not ranked first"
    # The rest are the newest body matches only: the older ones are beyond the depth.
    assert results[1:] == [a.pk for a in body_matches[:6]]


def test_headline_matches_beyond_their_own_depth_are_left_for_newer_ones(depth):
    depth(2, headlines=1)
    newer_headline = story(days_ago=300, text="نص", headline="حميميم في الأخبار")
    older_headline = story(days_ago=900, text="نص", headline="حميميم قديمًا")
    [story(days_ago=n) for n in range(1, 5)]
    results = found("حميميم")
    assert results[0] == newer_headline.pk
    assert older_headline.pk not in results


def test_the_newest_matches_are_read_across_every_window_in_order(depth):
    # Two matches in the first window of publication time, one in each of the others, one older.
    later = [(newer + older) / 2 for newer, older in pairwise(search.WINDOW_DAYS)]
    ages = [1, 2, *later, search.WINDOW_DAYS[-1] + 100]
    stories = [story(days_ago=age) for age in ages]
    depth(len(ages) - 2)
    newest = found("حميميم", order="newest")
    assert newest == [a.pk for a in stories[:-1]], "the newest depth + 1 matches, in order, were not the ones read"
    depth(1000)
    assert found("حميميم", order="newest") == [a.pk for a in stories], "a match in some window was missed"


def test_below_the_depth_every_match_is_ranked_exactly(depth):
    depth(1000)
    old_but_strong = story(days_ago=1200, text="حميميم حميميم حميميم حميميم", headline="حميميم")
    newer = [story(days_ago=n) for n in (1, 3)]
    assert found("حميميم") == [old_but_strong.pk, *(a.pk for a in newer)]


def test_the_count_says_more_than_the_depth_and_pages_stop_there(depth):
    depth(6)
    for n in range(9):
        story(days_ago=n + 1)
    result = search.find("حميميم", "ar", page_number=1, page_size=4)
    paginator = result.page.paginator
    assert paginator.more is True and paginator.count == 6 and paginator.num_pages == 2
    last = search.find("حميميم", "ar", page_number=99, page_size=4).page
    assert last.number == 2 and len(last.object_list) == 2


def test_below_the_depth_the_count_is_exact(depth):
    depth(6)
    for n in range(6):
        story(days_ago=n + 1)
    paginator = search.find("حميميم", "ar", page_size=4).page.paginator
    assert paginator.more is False and paginator.count == 6


def test_pages_past_the_last_or_not_numbers_fall_back_as_the_paginator_does():
    for n in range(3):
        story(days_ago=n + 1)
    assert search.find("حميميم", "ar", page_number=7, page_size=2).page.number == 2
    assert search.find("حميميم", "ar", page_number="abc", page_size=2).page.number == 1
    assert search.find("حميميم", "ar", page_number=-3, page_size=2).page.number == 1


def test_a_date_filter_reads_back_from_its_last_day(depth):
    depth(2)
    now = timezone.localtime()
    [story(days_ago=n) for n in (1, 2, 3)]
    in_range = [story(days_ago=n) for n in (200, 210, 220)]
    results = found("حميميم", date_to=(now - timedelta(days=100)).date(), order="newest")
    assert results == [a.pk for a in in_range], "the newest matches before the end date were not the ones read"


def test_a_section_filter_keeps_its_subsections_within_the_depth(depth):
    depth(2)
    politics = SectionFactory(slug="politics-depth")
    local = SectionFactory(slug="local-depth", parent=politics)
    [story(days_ago=n) for n in (1, 2, 3)]  # elsewhere, and newer
    in_child = story(days_ago=50, section=local)
    in_parent = story(days_ago=60, section=politics)
    assert found("حميميم", section=politics, order="newest") == [in_child.pk, in_parent.pk]


def test_the_admin_search_reads_drafts_and_scheduled_stories_first(depth):
    depth(2, headlines=0)
    [story(days_ago=n) for n in (1, 2, 3)]
    draft = indexed(ArticleFactory(headline_ar="مسودة", body_ar="<p>حميميم</p>", status=Status.DRAFT))
    scheduled = story(days_ago=-2)
    everything = search.with_search(Article.objects.all(), "حميميم")
    assert {draft.pk, scheduled.pk} <= set(everything.values_list("pk", flat=True))
    assert everything.count() == 3  # the depth, plus one to say "more"


def test_a_headline_match_must_match_the_whole_story_too():
    excluded = story(days_ago=1, text="وصلت السفن إلى طرطوس", headline="حميميم والساحل")
    kept = story(days_ago=2, text="نص", headline="حميميم")
    assert found("حميميم -طرطوس") == [kept.pk]
    assert excluded.pk in found("حميميم")


def test_the_headline_vector_is_written_with_the_document():
    article = story(days_ago=1, text="نص عن طرطوس", headline="حميميم", headline_en="Hmeimim base")
    stored = Article.objects.filter(pk=article.pk)
    assert stored.filter(headline_document=search.search_query("حميميم")).exists()
    assert stored.filter(headline_document=search.search_query("base", "en")).exists()
    assert not stored.filter(headline_document=search.search_query("طرطوس")).exists()
