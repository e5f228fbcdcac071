"""One slip in a search word: the lexicon of the stories' words and its corrections."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles import lexicon, search
from articles.models import SearchTerm
from tests.factories import indexed, published

pytestmark = pytest.mark.django_db


def story(text: str, headline: str = "خبر من الوكالة", **fields):
    return indexed(published(headline_ar=headline, body_ar=f"<p>{text}</p>", **fields))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("انسحب", "انسحاب"), ("انسحااب", "انسحاب"), ("انحساب", "انسحاب"), ("انشحاب", "انسحاب"), ("مفاوضت", "مفاوضات")],
)
def test_one_dropped_added_replaced_or_swapped_letter_is_one_edit(typed, meant):
    assert lexicon.within_one_edit(typed, meant) and lexicon.within_one_edit(meant, typed)


@pytest.mark.parametrize(("a", "b"), [("انسحاب", "انسحاب"), ("انسحاب", "نساب"), ("دمشق", "حمص"), ("abcd", "badc")])
def test_two_slips_or_none_are_not_one_edit(a, b):
    assert not lexicon.within_one_edit(a, b)


@given(st.text(alphabet="ابتثجحخ", min_size=1, max_size=8), st.integers(min_value=0, max_value=8))
def test_dropping_any_one_letter_is_one_edit(word, position):
    position %= len(word)
    shorter = word[:position] + word[position + 1 :]
    assert lexicon.within_one_edit(word, shorter) == (shorter != word)


def test_saving_a_story_adds_its_words_once_per_story_as_written():
    story("أكد المسؤولون أن الانسحاب بدأ، وأن الانسحاب سيستمر.")
    story("تواصل الانسحاب من المواقع.")
    term = SearchTerm.objects.get(language="ar", word="الانسحاب")
    assert term.display == "الانسحاب" and term.stories == 2
    assert term.trigrams.isascii()
    # Folded like search folds it, shown as written.
    assert SearchTerm.objects.get(language="ar", word="المسءولون").display == "المسؤولون"


def test_english_words_enter_the_english_lexicon():
    story("نص عربي قصير.", headline_en="Russian withdrawal begins", body_en="<p>The withdrawal began.</p>")
    assert SearchTerm.objects.filter(language="en", word="withdrawal").exists()


def test_a_word_one_slip_from_a_used_word_is_corrected_to_the_most_used_one():
    for _ in range(3):
        story("بدأ الانسحاب الروسي من المواقع الأمامية.")
    story("قالت إن القوات انسحبت.")
    assert lexicon.corrections(["الانسحب"], "ar") == {"الانسحب": "الانسحاب"}


def test_a_slip_in_a_word_with_its_ending_is_corrected_to_that_word():
    story("بدأت جولة مفاوضات جديدة في جنيف.")
    assert lexicon.corrections(["مفاوضاتت"], "ar") == {"مفاوضاتت": "مفاوضات"}


def test_words_stories_use_and_very_short_words_are_not_corrected():
    story("بدأ الانسحاب من المدن.")
    assert lexicon.corrections(["الانسحاب", "مدن", "xyz"], "ar") == {}


def test_pg_trgm_makes_trigrams_from_the_stored_spelling_whatever_the_database_locale():
    from django.db import connection

    story("بدأ الانسحاب من المواقع.")
    with connection.cursor() as cursor:
        # The ASCII spelling is alphanumeric in every locale, C included.
        cursor.execute(
            "SELECT cardinality(show_trgm(trigrams)), trigrams ~ '^[a-z0-9]+$' FROM articles_searchterm "
            "WHERE language = 'ar' AND word = 'الانسحاب'"
        )
        count, ascii_only = cursor.fetchone()
    assert count == len("الانسحاب") + 1 and ascii_only


def test_words_enter_the_lexicon_only_once_the_save_commits():
    # Shared rows are never locked for the length of a save: another save of a story with the
    # same words does not wait for this one (tests/test_newswire_worker.py holds one open).
    from django.test import TestCase

    article = published(headline_ar="خبر", body_ar="<p>بدأ الانسحاب الكامل</p>")
    with TestCase.captureOnCommitCallbacks(execute=False) as after_commit:
        search.update_document(article)
    assert not SearchTerm.objects.filter(display="الانسحاب").exists()
    for callback in after_commit:
        callback()
    assert SearchTerm.objects.filter(display="الانسحاب").exists()
