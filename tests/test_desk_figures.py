"""The dashboard's figures and charts: numbers as the database has them, drawn right to left in
the page's digits, shown to those who may see them."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Transition
from desk import charts, figures
from desk.models import BudgetItem

from .factories import ArticleFactory, BudgetItemFactory, SectionFactory, published

pytestmark = pytest.mark.django_db


def at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def move(article, name, when, by=None):
    return Transition.objects.create(
        article=article, move=name, from_status="draft", to_status="draft", by=by, created_at=when
    )


@pytest.fixture
def newsroom():
    syria, economy = SectionFactory(name_ar="سوريا", position=0), SectionFactory(name_ar="اقتصاد", position=1)
    for days_ago, section in [(0, syria), (0, syria), (0, economy), (2, economy), (29, syria), (30, syria)]:
        published(section=section, first_published_at=at(days_ago, 9), publish_at=at(days_ago, 9))
    # Scheduled for later today: not published yet, not counted.
    later = timezone.now() + timedelta(hours=2)
    published(section=syria, first_published_at=later, publish_at=later)
    return syria, economy


def test_published_per_day_and_section_match_the_database(newsroom):
    syria, economy = newsroom
    numbers = figures.desk_figures()
    today = timezone.localdate()
    assert numbers.published == {
        (today, syria.pk): 2,
        (today, economy.pk): 1,
        (today - timedelta(days=2), economy.pk): 1,
        (today - timedelta(days=29), syria.pk): 1,
    }
    assert numbers.published_total == 5, "30 days ago is outside the window; a scheduled story is not counted"


def test_the_chart_draws_those_numbers_newest_at_the_left(newsroom):
    numbers = figures.desk_figures()
    svg = str(charts.published_chart(numbers))
    bars = re.findall(r'<rect x="([\d.]+)"[^>]*data-day="([\d-]+)" data-section="(\d+)" data-value="(\d+)"', svg)
    drawn = {(day, int(section)): int(value) for _x, day, section, value in bars}
    assert drawn == {(day.isoformat(), section): n for (day, section), n in numbers.published.items()}
    x = {day: float(position) for position, day, _section, _value in bars}
    today, oldest = timezone.localdate(), timezone.localdate() - timedelta(days=29)
    assert x[today.isoformat()] < x[oldest.isoformat()], "time runs right to left"
    assert "سوريا" in svg and "٢" in svg, "labels in Arabic with Arabic-Indic digits"


def test_submit_to_publish_median_and_slowest(editor, journalist):
    waits_in_hours = [1, 2, 10]
    for n, hours in enumerate(waits_in_hours):
        article = ArticleFactory(headline_ar=f"خبر {n}")
        move(article, "submit", at(1, 8), journalist)
        move(article, "return", at(1, 8) + timedelta(minutes=5), editor)
        move(article, "submit", at(1, 8) + timedelta(minutes=30), journalist)
        move(article, "publish", at(1, 8) + timedelta(hours=hours), editor)
    numbers = figures.desk_figures()
    assert numbers.wait.median == timedelta(hours=2), "from the first submission"
    assert numbers.wait.slowest == timedelta(hours=10)
    assert numbers.wait.slowest_story.headline_ar == "خبر 2"
    assert numbers.returned == {timezone.localdate() - timedelta(days=1): 3}
    assert charts.duration(numbers.wait.median) == "٢ س ٠٠ د"


def test_todays_budget_filled_against_planned():
    syria, economy = SectionFactory(position=0), SectionFactory(position=1)
    BudgetItemFactory(section=syria, status=BudgetItem.Status.FILED)
    BudgetItemFactory(section=syria, status=BudgetItem.Status.ASSIGNED)
    BudgetItemFactory(section=syria, status=BudgetItem.Status.DROPPED)
    BudgetItemFactory(section=economy, status=BudgetItem.Status.PLANNED)
    BudgetItemFactory(section=economy, day=timezone.localdate() + timedelta(days=1))
    rows = figures.desk_figures().budget
    assert [(row.section, row.planned, row.filed) for row in rows] == [(syria, 2, 1), (economy, 1, 0)]


def test_editors_see_the_figures_and_journalists_do_not(client, newsroom, editor, journalist):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="chart-published"' in html and 'data-figure="published">٥<' in html
    client.force_login(journalist)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="chart-published"' not in html
