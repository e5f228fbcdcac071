"""The revision comparison shows what kind of block each piece of the body is."""

import pytest
from django.utils import translation

from articles import revisions

pytestmark = pytest.mark.django_db


def body_diff(old: str, new: str) -> str:
    with translation.override("ar"):
        [change] = revisions.diff({"body_ar": old}, {"body_ar": new})
    return change.html


def test_a_paragraph_turned_into_a_subheading_shows_as_a_change():
    html = body_diff("<p>أعلنت الحكومة</p><p>ردود الفعل</p>", "<p>أعلنت الحكومة</p><h2>ردود الفعل</h2>")
    assert "<ins>[عنوان فرعي] </ins>ردود الفعل" in html
    assert "<del>" not in html, "the words themselves did not change"


def test_a_subheading_turned_back_into_a_paragraph_shows_the_mark_removed():
    html = body_diff("<h3>تفاصيل</h3>", "<p>تفاصيل</p>")
    assert html == "<del>[عنوان فرعي ثانوي] </del>تفاصيل"


def test_quotes_and_list_items_are_marked_too():
    html = body_diff("<p>قال</p>", "<blockquote><p>قال</p></blockquote><ul><li><p>أولًا</p></li></ul>")
    assert "<ins>[اقتباس] </ins>قال" in html
    assert "• أولًا" in html
