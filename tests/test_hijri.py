"""Hijri (Umm al-Qura) dates beside the Gregorian date: story pages and the admin's story header."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from articles.arabic import format_datetime_with_hijri, format_hijri

from .factories import ArticleFactory, published

DAMASCUS = ZoneInfo("Asia/Damascus")


def test_a_known_day_in_the_umm_al_qura_calendar():
    # 1 Ramadan 1447 AH fell on 18 February 2026 in the Umm al-Qura calendar.
    assert format_hijri(datetime(2026, 2, 18, 12, tzinfo=DAMASCUS)) == "الأربعاء ١ رمضان ١٤٤٧ هـ"
    assert format_hijri(datetime(2026, 2, 18, 12, tzinfo=DAMASCUS), "en") == "Wednesday 1 Ramadan 1447 AH"


def test_the_day_is_the_newsrooms_day_not_utcs():
    # 23:30 in Damascus on 18 February is 20:30 UTC: still the 18th, 1 Ramadan.
    late = datetime(2026, 2, 18, 23, 30, tzinfo=DAMASCUS)
    assert format_hijri(late).startswith("الأربعاء ١ رمضان")


def test_the_hijri_date_comes_before_the_levantine_gregorian_date():
    text = format_datetime_with_hijri(datetime(2026, 11, 26, 19, 29, tzinfo=DAMASCUS))
    assert text == "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ، ٢٦ تشرين الثاني ٢٠٢٦، ١٩:٢٩"


def test_dates_outside_the_calendars_tables_show_only_the_gregorian_date():
    old = datetime(1900, 1, 1, 12, tzinfo=DAMASCUS)
    assert format_hijri(old) == ""
    assert format_datetime_with_hijri(old) == "١ كانون الثاني ١٩٠٠، ١٢:٠٠"


def test_the_setting_turns_hijri_dates_off(settings):
    settings.HIJRI_DATES = False
    assert format_hijri(datetime(2026, 11, 26, 12, tzinfo=DAMASCUS)) == ""
    assert format_datetime_with_hijri(datetime(2026, 11, 26, 12, tzinfo=DAMASCUS)) == "٢٦ تشرين الثاني ٢٠٢٦، ١٢:٠٠"


@pytest.mark.django_db
def test_the_story_page_prints_the_hijri_date_beside_the_gregorian(client):
    when = datetime(2026, 11, 26, 19, 29, tzinfo=DAMASCUS)
    article = published(headline_ar="خبر", body_ar="<p>نص</p>", publish_at=when, first_published_at=when)
    with translation.override("ar"):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ، ٢٦ تشرين الثاني ٢٠٢٦، ١٩:٢٩" in html


@pytest.mark.django_db
def test_the_story_page_has_no_hijri_date_when_it_is_turned_off(client, settings):
    settings.HIJRI_DATES = False
    when = datetime(2026, 11, 26, 19, 29, tzinfo=DAMASCUS)
    article = published(headline_ar="خبر", body_ar="<p>نص</p>", publish_at=when, first_published_at=when)
    with translation.override("ar"):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "هـ" not in html and "٢٦ تشرين الثاني ٢٠٢٦" in html


@pytest.mark.django_db
def test_the_admins_story_header_shows_the_hijri_date(client, editor):
    article = ArticleFactory(created_at=datetime(2026, 11, 26, 9, 0, tzinfo=DAMASCUS))
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ، ٢٦ تشرين الثاني ٢٠٢٦، ٠٩:٠٠" in html
