"""Template tags of the desk: the live block on story pages, the header's notification count,
links between a story and its budget item or live console, and small date helpers."""

from django import template
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from articles import arabic

from .. import live, notifications, permissions
from ..models import LiveCoverage

register = template.Library()


@register.filter
def clock(value):
    """'١٤:٠٥' in the newsroom's time zone and the page's digits."""
    if not value:
        return ""
    return arabic.localize_digits(timezone.localtime(value).strftime("%H:%M"), get_language())


@register.inclusion_tag("desk/live_block.html", takes_context=True)
def live_coverage(context, article):
    """The live block of a story page: nothing unless the story is a live page."""
    coverage = coverage_of(article)
    if coverage is None:
        return {"coverage": None}
    entries = list(live.shown_entries(coverage))
    return {
        "coverage": coverage,
        "entries": entries,
        "article": article,
        "feed_url": live.feed_url(article),
        "interval": live.poll_seconds(),
        "jsonld": live.json_ld(article, coverage, entries),
        "request": context.get("request"),
    }


def coverage_of(article):
    """The story's live coverage or None: joined into the story page's query
    (articles.views.STORY_PAGE_JOINS), else one query."""
    if type(article).live.is_cached(article):
        try:
            return article.live
        except LiveCoverage.DoesNotExist:
            return None
    return LiveCoverage.objects.filter(article=article).first()


@register.inclusion_tag("desk/header_link.html")
def notifications_link(user):
    return {"count": notifications.unread_count(user) if user.is_authenticated else 0}


@register.inclusion_tag("desk/story_tools.html")
def desk_story_tools(article, user):
    """The story form's links to its budget item and its live console (object tools)."""
    item = getattr(article, "budget_item", None) if article and article.pk else None
    return {
        "article": article,
        "item": item,
        "can_run_live": permissions.can_run_live(user),
        "live": LiveCoverage.objects.filter(article=article).first() if article and article.pk else None,
    }


@register.filter
def hijri_day(value):
    """The Hijri date of a day without its weekday ("٥ جمادى الآخرة ١٤٤٨ هـ"); empty when the site
    shows no Hijri dates (settings.HIJRI_DATES)."""
    from datetime import datetime, time

    text = arabic.format_hijri(datetime.combine(value, time(12)), get_language()) if value else ""
    return text.split(" ", 1)[1] if text else ""


@register.filter
def dayname(value):
    """'السبت ٥ كانون الأول ٢٠٢٦' for a date."""
    from ..calendar import day_label

    return day_label(value, get_language()) if value else ""


@register.inclusion_tag("desk/dashboard.html")
def desk_dashboard(user):
    """The desk's part of the admin home: today's links and my assignments for everyone who sees
    the budget; the figures and their charts for those who may see them."""
    from .. import charts, figures
    from ..models import BudgetItem

    if not permissions.can_see_budget(user):
        return {"show": False}
    today = timezone.localdate()
    context = {
        "show": True,
        "today": today,
        "assignments": list(
            BudgetItem.objects.filter(day__gte=today)
            .filter(models.Q(assignee=user) | models.Q(photographer=user))
            .exclude(status__in=[BudgetItem.Status.DROPPED, BudgetItem.Status.FILED])
            .select_related("section", "article")[:10]
        ),
    }
    if permissions.can_see_figures(user):
        numbers = figures.desk_figures()
        context.update(
            {
                "figures": numbers,
                "legend": [(charts.PALETTE[n % len(charts.PALETTE)], s) for n, s in enumerate(numbers.sections)],
                "published_chart": charts.published_chart(numbers),
                "returned_chart": charts.returned_chart(numbers),
                "wait_chart": charts.wait_chart(numbers),
                "budget_chart": charts.budget_chart(numbers),
                "median": charts.duration(numbers.wait.median),
                "slowest": charts.duration(numbers.wait.slowest),
            }
        )
    return context


@register.inclusion_tag("desk/autosave.html", takes_context=True)
def story_autosave(context, article, user):
    """On a story's form: the autosave and word-count script, and the offer to restore what this
    person typed and did not save (when there is such a draft)."""
    from .. import autosave
    from ..autosave_views import panel_context

    article = article if article is not None and article.pk else None
    draft = autosave.pending(user, article)
    return {
        **panel_context(user, article, draft),
        "request": context.get("request"),
        "article": article,
        "digits": settings.ARABIC_DIGITS,
        "fields": " ".join(sorted(autosave.TYPED)),
        "reading_wpm": READING_WORDS_PER_MINUTE,
    }


# Arabic news copy is read at about 180 words a minute (slower than English prose: longer words,
# fewer short function words).
READING_WORDS_PER_MINUTE = 180
