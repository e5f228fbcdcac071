from django import template
from django.conf import settings
from django.utils.translation import get_language

from .. import arabic
from ..admin.date_bar import date_bar
from ..admin.queues import dashboard

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard.html")
def newsroom_dashboard(user):
    return {"queues": dashboard(user)}


@register.inclusion_tag("admin/date_hierarchy.html")
def story_date_bar(cl):
    """The story list's date bar, in place of Django's date hierarchy (see articles.admin.date_bar)."""
    return date_bar(cl)


@register.filter
def about_count(number: int) -> str:
    """An estimated count as the page's language writes a large number: "١٠٠٬٠٠٠" in Arabic."""
    grouped = f"{number:,}"
    if get_language() != "ar" or settings.ARABIC_DIGITS == "latin":
        return grouped
    return arabic.localize_digits(grouped.replace(",", "\u066c"), "ar")  # ٬, the Arabic thousands separator
