"""Arabic date formats for Django's `date` filter and the admin: "25 تشرين الثاني 2026، 19:29"."""

from django.utils.translation import gettext_noop

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"

# Django prints month names with gettext("January") and so on. locale/ar translates them to the
# Levantine names the agency uses (كانون الثاني، شباط …), so every date in the admin reads as the
# agency writes it. Listed here so that makemessages keeps them in the catalogue.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
