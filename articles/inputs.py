"""What the newsroom accepts from people, checked once at the edge: plain text and dates.

Plain text is every field a reader sees as text rather than rich HTML: headlines, decks, datelines,
summaries, attribution descriptions, corrections, tag, source and section names. `clean_text()`
is applied to all of them, by `PlainTextField` in the admin's forms and again by the domain
functions that write stories, so no route stores what the form would have refused.

Which invisible characters go: the directional embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069) open a run that lasts until its matching closer, so one left unclosed in a
headline reverses or reorders the page text around it (a classic spoofing trick); nothing in
newsroom copy needs them, because the page marks direction with `dir`. The directional *marks*
stay: RLM (U+200F), LRM (U+200E) and the Arabic letter mark (U+061C) are zero-width letters that
affect only their neighbours, and Arabic typists use them to place punctuation and digits. ZWNJ
and ZWJ (U+200C, U+200D) stay too: they control letter joining. Control characters (NUL and the
C0/C1 ranges) never belong in text and are removed; line and paragraph separators become spaces.
"""

import re
import unicodedata
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .arabic import localize_digits

_DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# C0 controls except tab and newline (a textarea's lines), DEL and the C1 range.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_STRIPPED = re.compile(f"[{_DIRECTION_CONTROLS}{_CONTROLS}]")
_STRIPPED_ONE_LINE = re.compile(f"[{_DIRECTION_CONTROLS}{_CONTROLS}\t\n]")
_SEPARATORS = re.compile("[\u2028\u2029]")
_CONTROL_CHARACTER = re.compile(f"[{_CONTROLS}\t\n\r]")
# Letters, marks on letters, digits, punctuation and symbols: what makes a text visible.
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Plain text without control or direction-override characters, trimmed.

    One-line fields (`multiline=False`) also lose tabs and line breaks, which would otherwise
    reach headlines in feeds and page titles.
    """
    if not text:
        return ""
    text = _SEPARATORS.sub(" ", text)
    pattern = _STRIPPED if multiline else _STRIPPED_ONE_LINE
    if not multiline:
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return pattern.sub("", text).strip()


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL_CHARACTER.search(text))


def has_visible_text(text: str) -> bool:
    """Does the text show anything at all? Spaces, joiners and marks alone do not."""
    return any(unicodedata.category(ch).startswith(_VISIBLE_CATEGORIES) for ch in text)


def require_visible_text(text: str) -> None:
    if text and not has_visible_text(text):
        raise ValidationError(_("This holds only invisible characters. Type the text itself."), code="invisible_text")


class PlainTextField(forms.CharField):
    """A form field for text readers see: cleaned by `clean_text()`; invisible-only text refused."""

    default_validators = [require_visible_text]

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = clean_text(value, multiline=self.multiline)
        return self.empty_value if value in self.empty_values else value


# The calendar the newsroom works in. Far beyond it, times stop converting between time zones
# (year 1 in Damascus is year 0 in UTC) and date arithmetic overflows; nothing in a newsroom's
# archive or schedule lies there.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199


def check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        language = get_language()
        raise ValidationError(
            _("Choose a date between the years %(first)s and %(last)s.")
            % {"first": localize_digits(EARLIEST_YEAR, language), "last": localize_digits(LATEST_YEAR, language)},
            code="out_of_calendar",
        )


def within_calendar(value: date | datetime | None) -> None:
    if value is not None:
        check_year(value.year)
