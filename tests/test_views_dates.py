"""Dates as readers see them: Levantine months, Arabic-Indic digits, relative times for the last day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from articles.arabic import format_datetime, format_relative, format_when

DAMASCUS = ZoneInfo("Asia/Damascus")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=DAMASCUS)


@pytest.mark.parametrize(
    ("ago", "arabic", "english"),
    [
        (timedelta(seconds=20), "الآن", "just now"),
        (timedelta(minutes=1), "منذ دقيقة", "1 minute ago"),
        (timedelta(minutes=2), "منذ دقيقتين", "2 minutes ago"),
        (timedelta(minutes=5), "منذ ٥ دقائق", "5 minutes ago"),
        (timedelta(minutes=10), "منذ ١٠ دقائق", "10 minutes ago"),
        (timedelta(minutes=11), "منذ ١١ دقيقة", "11 minutes ago"),
        (timedelta(minutes=59), "منذ ٥٩ دقيقة", "59 minutes ago"),
        (timedelta(hours=1), "منذ ساعة", "1 hour ago"),
        (timedelta(hours=2), "منذ ساعتين", "2 hours ago"),
        (timedelta(hours=3), "منذ ٣ ساعات", "3 hours ago"),
        (timedelta(hours=23, minutes=59), "منذ ٢٣ ساعة", "23 hours ago"),
    ],
)
def test_times_in_the_last_day_read_as_relative(ago, arabic, english):
    assert format_relative(NOW - ago, "ar", now=NOW) == arabic
    assert format_relative(NOW - ago, "en", now=NOW) == english


def test_older_and_future_times_show_the_full_date():
    yesterday = datetime(2026, 11, 23, 10, 30, tzinfo=DAMASCUS)
    assert format_relative(yesterday, "ar", now=NOW) is None
    assert format_when(yesterday, "ar", now=NOW) == "٢٣ تشرين الثاني ٢٠٢٦، ١٠:٣٠"
    assert format_when(yesterday, "en", now=NOW) == "23 November 2026, 10:30"
    assert format_relative(NOW + timedelta(minutes=5), "ar", now=NOW) is None


def test_latin_digits_setting_applies_to_relative_times(settings):
    settings.ARABIC_DIGITS = "latin"
    assert format_relative(NOW - timedelta(minutes=5), "ar", now=NOW) == "منذ 5 دقائق"
    assert format_datetime(datetime(2026, 1, 2, 9, 5, tzinfo=DAMASCUS)) == "2 كانون الثاني 2026، 09:05"
