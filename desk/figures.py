"""The desk's figures for the dashboard, each a query or two over what the newsroom recorded.

Days are the newsroom's (Damascus) days; the window ends today, inclusive.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Aggregate, Count, DurationField, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles.models import Article, Section, Transition

from .models import BudgetItem

WINDOW_DAYS = 30


class Median(Aggregate):
    """PostgreSQL's exact median (it works on intervals too)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class Wait:
    median: timedelta | None
    slowest: timedelta | None
    slowest_story: Article | None = None
    count: int = 0


@dataclass
class BudgetRow:
    section: Section
    planned: int
    filed: int


@dataclass
class Figures:
    days: list[date]
    sections: list[Section]
    published: dict[tuple[date, int], int]
    returned: dict[date, int]
    wait_by_day: dict[date, tuple[timedelta, timedelta]]
    wait: Wait
    budget: list[BudgetRow] = field(default_factory=list)

    @property
    def published_total(self) -> int:
        return sum(self.published.values())

    @property
    def returned_total(self) -> int:
        return sum(self.returned.values())

    @property
    def budget_planned(self) -> int:
        return sum(row.planned for row in self.budget)

    @property
    def budget_filed(self) -> int:
        return sum(row.filed for row in self.budget)


def window(today: date, days: int = WINDOW_DAYS) -> tuple[list[date], datetime, datetime]:
    """The days, oldest first, and the instants that bound them in the newsroom's time zone."""
    zone = timezone.get_current_timezone()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    return [first + timedelta(days=n) for n in range(days)], start, end


def published_per_day(start: datetime, end: datetime, now: datetime) -> dict[tuple[date, int], int]:
    """Stories that first went public each day, per section (scheduled ones count on their day, once due)."""
    zone = timezone.get_current_timezone()
    rows = (
        Article.objects.filter(first_published_at__gte=start, first_published_at__lt=end, first_published_at__lte=now)
        .annotate(day=TruncDate("first_published_at", tzinfo=zone))
        .order_by()
        .values("day", "section_id")
        .annotate(n=Count("id"))
    )
    return {(row["day"], row["section_id"]): row["n"] for row in rows}


def returned_per_day(start: datetime, end: datetime) -> dict[date, int]:
    zone = timezone.get_current_timezone()
    rows = (
        Transition.objects.filter(move="return", created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def _publish_moves(start: datetime, end: datetime):
    """Publish moves in the window, each with the time since its story was first submitted."""
    first_submit = Subquery(
        Transition.objects.filter(article=OuterRef("article"), move="submit", created_at__lte=OuterRef("created_at"))
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return (
        Transition.objects.filter(move="publish", created_at__gte=start, created_at__lt=end)
        .annotate(submitted_at=first_submit)
        .filter(submitted_at__isnull=False)
        .annotate(wait=F("created_at") - F("submitted_at"))
    )


def waits(start: datetime, end: datetime) -> tuple[Wait, dict[date, tuple[timedelta, timedelta]]]:
    """From a story's first submission to the move that published it: median and slowest, overall and per day."""
    zone = timezone.get_current_timezone()
    moves = _publish_moves(start, end)
    overall = moves.aggregate(median=Median("wait"), slowest=Max("wait"), count=Count("id"))
    slowest = moves.order_by("-wait", "id").select_related("article").first()
    per_day = (
        moves.annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(median=Median("wait"), slowest=Max("wait"))
    )
    return (
        Wait(overall["median"], overall["slowest"], slowest.article if slowest else None, overall["count"]),
        {row["day"]: (row["median"], row["slowest"]) for row in per_day},
    )


def budget_today(day: date) -> list[BudgetRow]:
    """Per section: items planned for the day (not dropped) and those filed."""
    rows = (
        BudgetItem.objects.filter(day=day)
        .order_by()
        .values("section_id")
        .annotate(
            planned=Count("id", filter=~Q(status=BudgetItem.Status.DROPPED)),
            filed=Count("id", filter=Q(status=BudgetItem.Status.FILED)),
        )
    )
    counts = {row["section_id"]: row for row in rows}
    sections = Section.objects.filter(pk__in=counts).order_by("position", "id")
    return [BudgetRow(s, counts[s.pk]["planned"], counts[s.pk]["filed"]) for s in sections if counts[s.pk]["planned"]]


def desk_figures(now: datetime | None = None, days: int = WINDOW_DAYS) -> Figures:
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_list, start, end = window(today, days)
    published = published_per_day(start, end, now)
    section_ids = {section_id for _day, section_id in published}
    wait, wait_by_day = waits(start, end)
    return Figures(
        days=day_list,
        sections=list(Section.objects.filter(pk__in=section_ids).order_by("position", "id")),
        published=published,
        returned=returned_per_day(start, end),
        wait_by_day=wait_by_day,
        wait=wait,
        budget=budget_today(today),
    )
