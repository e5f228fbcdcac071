"""`{{ value|hijri_fulldate }}`: the Hijri (Umm al-Qura) date beside the Gregorian date and time."""

from django import template
from django.utils.translation import get_language

from articles import arabic

register = template.Library()


@register.filter
def hijri_fulldate(value):
    """ "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ، ٢٦ تشرين الثاني ٢٠٢٦، ١٩:٢٩" (no Hijri date when
    settings.HIJRI_DATES is off)."""
    return arabic.format_datetime_with_hijri(value, get_language()) if value else ""


@register.filter
def hijri(value):
    """The Hijri date alone, "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ"; empty when turned off."""
    return arabic.format_hijri(value, get_language()) if value else ""
