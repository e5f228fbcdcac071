"""What the faster story and home pages rely on: lists read with the story, a plan query compiled
once and run at each request's time, links and dates kept per process, cards written in Python.
Each test states a behaviour a reader would notice if it broke."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles import views
from articles.models import Article, Section
from articles.prepared import NotPreparable, PreparedQuery
from newsroom.links import reverse_cached

from .factories import (
    AttributionFactory,
    BylineFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    published,
)

pytestmark = pytest.mark.django_db


def test_story_lists_come_with_the_story_in_order_and_read_without_more_queries():
    story = published(tags=["روسيا", "سوريا"])
    BylineFactory(article=story, author=UserFactory(display_name_ar="سارة", slug="sara"), position=1)
    BylineFactory(article=story, author=UserFactory(display_name_ar="عمر", slug="omar"), position=0)
    AttributionFactory(article=story, source=SourceFactory(slug="kremlin"), description_ar="الكرملين", position=1)
    AttributionFactory(article=story, description_ar="مسؤول", is_anonymous=True, position=0)
    older = CorrectionFactory(article=story, text_ar="أول", created_at=timezone.now() - timedelta(hours=2))
    CorrectionFactory(article=story, text_ar="ثان")
    with translation.override("ar"), CaptureQueriesContext(connection) as queries:
        loaded = views.story_queryset(Article.objects.filter(pk=story.pk)).get()
        lists = views.story_parts(loaded)
        shown = (
            [(str(b.author), b.author.get_absolute_url()) for b in lists["bylines"]],
            [(a.description, a.is_anonymous, a.source.get_absolute_url()) for a in lists["attributions"]],
            [tag.name for tag in lists["tags"]],
            [(c.text, c.created_at) for c in lists["corrections"]],
        )
        shown_with = (loaded.section.slug, loaded.lead_image, [s.slug for s in lists["nav_sections"]])
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert shown_with == (story.section.slug, None, [story.section.slug])
    assert shown[0] == [("عمر", "/author/omar/"), ("سارة", "/author/sara/")]
    assert [(d, anonymous) for d, anonymous, _url in shown[1]] == [("مسؤول", True), ("الكرملين", False)]
    assert shown[1][1][2] == "/source/kremlin/"
    assert shown[2] == ["روسيا", "سوريا"]
    assert shown[3][0] == ("أول", older.created_at) and shown[3][1][0] == "ثان"


def test_story_lists_read_the_english_names_on_english_pages():
    story = published(headline_en="Story", body_en="<p>Text.</p>", tags=["روسيا"])
    AttributionFactory(article=story, description_ar="مسؤول", description_en="an official")
    loaded = views.story_queryset(Article.objects.filter(pk=story.pk)).get()
    with translation.override("en"):
        lists = views.story_parts(loaded)
        assert lists["attributions"][0].description == "an official"


def _plan(language, now):
    return Article.objects.public(language, now).filter(publish_at__gte=now - timedelta(days=1)).order_by("pk")


def test_a_prepared_query_shows_a_scheduled_story_once_its_time_comes():
    story = published(publish_at=timezone.now() + timedelta(hours=1))
    plan = PreparedQuery(_plan)
    assert story not in plan.run("ar")
    assert story in plan.run("ar", now=timezone.now() + timedelta(hours=2))
    # The day-long window moves with the time as well.
    assert story not in plan.run("ar", now=timezone.now() + timedelta(days=3))


def test_a_prepared_query_keeps_each_language_apart():
    english = published(headline_en="Story", body_en="<p>Text.</p>")
    arabic_only = published()
    plan = PreparedQuery(_plan)
    assert {english, arabic_only} <= set(plan.run("ar"))
    assert english in plan.run("en") and arabic_only not in plan.run("en")


def test_a_query_whose_sql_changes_with_the_time_is_refused():
    # The two moments a query is prepared at fall in different years, one odd and one even.
    def changes_with_the_time(language, now):
        return Article.objects.filter(pk__in=[1] if now.year % 2 else [1, 2])

    plan = PreparedQuery(changes_with_the_time)
    with pytest.raises(NotPreparable):
        plan.run("ar")


def test_home_plan_answers_as_the_plain_queryset_does():
    section = SectionFactory()
    stories = [published(section=section, publish_at=timezone.now() - timedelta(minutes=i)) for i in range(6)]
    urgent = published(section=section, urgency=2, publish_at=timezone.now() - timedelta(hours=1))
    now = timezone.now()
    plain = {s.pk: (s.newest, s.window, s.featured, s.breaking) for s in views.home_plan("ar", now)}
    prepared = {s.pk: (s.newest, s.window, s.featured, s.breaking) for s in views.HOME_PLAN.run("ar", now)}
    assert prepared == plain
    newest, window, featured, breaking = prepared[section.pk]
    assert newest == [s.pk for s in stories[:5]]
    assert window == [*(s.pk for s in stories), urgent.pk] and featured == [] and breaking == [urgent.pk]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_cached_links_are_those_reverse_gives_in_each_language(language):
    with translation.override(language):
        first = reverse_cached("articles:tag", slug="روسيا")
        assert first == reverse("articles:tag", kwargs={"slug": "روسيا"})
        assert reverse_cached("articles:tag", slug="روسيا") == first
    assert first.startswith("/en/") == (language == "en")


def test_a_card_shows_what_the_reader_expects():
    section = Section.objects.create(name_ar="اقتصاد", slug="economy")
    story = published(section=section, headline_ar="الليرة <تتراجع>", summary_ar="ملخص الخبر", urgency=2)
    article = views.public_articles("ar").get(pk=story.pk)
    with translation.override("ar"):
        html = Template("{% load cards %}{% card article show_section=True %}").render(Context({"article": article}))
        compact = Template("{% load cards %}{% card article compact=True %}").render(Context({"article": article}))
    assert '<article class="card">' in html and '<a class="kicker" href="/section/economy/">اقتصاد</a>' in html
    assert "الليرة &lt;تتراجع&gt;" in html and "<تتراجع>" not in html
    assert '<span class="badge">عاجل</span>' in html
    assert '<p class="card-summary">ملخص الخبر</p>' in html and "card-summary" not in compact
    assert 'class="card card-compact"' in compact and "kicker" not in compact
    assert f'datetime="{story.publish_at.isoformat(timespec="seconds")}"' in html


def test_related_stories_are_bound_to_each_story_section_and_tags():
    politics, economy, sport = SectionFactory(), SectionFactory(), SectionFactory()
    story = published(section=politics, tags=["انتخابات"])
    same_section = published(section=politics)
    same_tag = published(section=economy, tags=["انتخابات"])
    elsewhere = published(section=sport, tags=["كرة"])
    other = published(section=sport)

    def related(article):
        tags = [tag.pk for tag in article.tags.all()]
        rows = views.RELATED_STORIES.run("ar", pk=article.pk, section=article.section_id, tags=tags)
        return {row.pk for row in rows}

    assert related(story) == {same_section.pk, same_tag.pk}
    assert related(elsewhere) == {other.pk}
    assert related(other) == {elsewhere.pk}
