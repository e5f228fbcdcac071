"""The desk's calendar: planned items, scheduled stories and embargoes over a week or a day.

Weeks run Saturday to Friday, as the newsroom's do. Everything is in the newsroom's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import arabic
from articles.models import Article, Section, Status

from .models import BudgetItem

WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
# date.weekday(): Monday is 0; the newsroom's week starts on Saturday (5).
WEEK_START = 5


def day_label(day: date, language: str = "ar") -> str:
    """'السبت ٥ كانون الأول ٢٠٢٦' / 'Saturday 5 December 2026'."""
    if language != "ar":
        return f"{day:%A} {day.day} {day:%B %Y}"
    text = f"{WEEKDAYS_AR[day.weekday()]} {day.day} {arabic.LEVANTINE_MONTHS[day.month - 1]} {day.year}"
    return arabic.localize_digits(text, language)


def week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() - WEEK_START) % 7)


@dataclass(frozen=True)
class Event:
    kind: str  # "planned", "scheduled", "published", "embargo"
    label: str
    title: str
    at: datetime | None  # None: planned for the day, no time set
    section: Section
    url: str
    status: str = ""

    @property
    def sort_key(self):
        return (self.at is None, self.at or datetime.min.replace(tzinfo=timezone.get_current_timezone()))


def _bounds(first: date, days: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(first + timedelta(days=days), time.min, tzinfo=zone)


def events(first: date, days: int, section: Section | None = None) -> dict[date, list[Event]]:
    """Every day from `first` for `days` days, each with its events in time order."""
    start, end = _bounds(first, days)
    zone = timezone.get_current_timezone()
    by_day: dict[date, list[Event]] = {first + timedelta(days=n): [] for n in range(days)}

    items = BudgetItem.objects.filter(day__gte=first, day__lt=first + timedelta(days=days)).exclude(
        status=BudgetItem.Status.DROPPED
    )
    stories = Article.objects.filter(status=Status.PUBLISHED, publish_at__gte=start, publish_at__lt=end)
    if section is not None:
        items, stories = items.filter(section=section), stories.filter(section=section)
    for item in items.select_related("section"):
        at = datetime.combine(item.day, item.due_time, tzinfo=zone) if item.due_time else None
        by_day[item.day].append(
            Event(
                "planned",
                _("Planned"),
                item.working_title,
                at,
                item.section,
                reverse("admin:desk_budgetitem_changelist") + f"?day={item.day.isoformat()}#item-{item.pk}",
                item.get_status_display(),
            )
        )
    now = timezone.now()
    for story in stories.select_related("section").defer("body", "body_ar", "body_en", "search_document"):
        at = timezone.localtime(story.publish_at)
        kind, label = ("scheduled", _("Scheduled")) if story.publish_at > now else ("published", _("Published"))
        url = reverse("admin:articles_article_change", args=[story.pk])
        by_day[at.date()].append(Event(kind, label, story.headline, at, story.section, url))
    for story, at in _embargoes(start, end, section):
        url = reverse("admin:articles_article_change", args=[story.pk])
        by_day[at.date()].append(Event("embargo", _("Embargo lifts"), story.headline, at, story.section, url))
    for day_events in by_day.values():
        day_events.sort(key=lambda event: event.sort_key)
    return by_day


def _embargoes(start: datetime, end: datetime, section: Section | None):
    """(story, local time) of embargoes lifting in the range, for stories not killed."""
    stories = Article.objects.filter(embargo_until__gte=start, embargo_until__lt=end).exclude(status=Status.KILLED)
    if section is not None:
        stories = stories.filter(section=section)
    return [(story, timezone.localtime(story.embargo_until)) for story in stories.select_related("section")]
