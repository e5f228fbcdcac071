"""Arabic normalisation: the folding both sides of a search go through."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.arabic import normalize, search_key, search_text

# Arabic letters, harakat and tatweel, Arabic-Indic and Persian digits, Latin, spaces: the text
# journalists paste, plus anything else Unicode holds.
arabic_text = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x0600, 0x0700)] + list("۰۱۲۳۴۵۶۷۸۹") + list(string.ascii_letters + " \n\t.-")
    )
)
any_text = st.one_of(arabic_text, st.text())


@given(any_text)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(any_text)
def test_normalize_never_grows_the_text(text):
    assert len(normalize(text)) <= len(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_normalize_changes_ascii_only_by_collapsing_whitespace(text):
    assert normalize(text) == " ".join(text.split())


@given(st.text(alphabet=st.characters(max_codepoint=127, blacklist_categories=["Cc", "Zs"])))
def test_normalize_leaves_ascii_without_whitespace_unchanged(text):
    assert normalize(text) == text


@given(any_text)
def test_search_text_never_raises_and_never_grows(text):
    assert len(search_text(text)) <= len(text)


def test_normalize_folds_the_spelling_variants_readers_treat_as_one():
    assert normalize("مُسْتَقْبَلًا") == "مستقبلا"
    assert normalize("أحمد إدلب آذار ٱلله") == "احمد ادلب اذار الله"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("القاعدة") == "القاعده"
    assert normalize("قاعـــدة") == "قاعده"
    assert normalize("أنتونوف ١٢٤ و۱۲۴") == "انتونوف 124 و124"
    assert normalize("  روسيا\n\tتبدأ  ") == "روسيا تبدا"


def test_normalize_leaves_latin_text_alone():
    assert normalize("Hmeimim An-124, Tartus!") == "Hmeimim An-124, Tartus!"


def test_search_key_strips_joined_clitics_to_one_form():
    forms = ["انسحاب", "الانسحاب", "بالانسحاب", "وبالانسحاب", "فالانسحاب"]
    assert {search_key(normalize(word)) for word in forms} == {"انسحاب"}
    assert {search_key(normalize(word)) for word in ["قوات", "القوات", "والقوات", "للقوات", "فالقوات"]} == {"قوات"}
    assert {search_key(word) for word in ["دمشق", "بدمشق", "ودمشق", "لدمشق"]} == {"دمشق"}


def test_search_key_keeps_short_words_whose_first_letter_is_part_of_the_root():
    for word in ["وصل", "بلد", "الله", "فيلم"]:
        assert search_key(word) == word


def test_search_key_trims_plural_and_nisba_endings():
    assert search_key("المسؤولين") == search_key("مسؤول")
    assert search_key("روسيا") == "روسي"
    assert search_key("السوريين") == search_key("سوري")


def test_search_text_keeps_web_search_syntax_and_latin_words():
    assert search_text('"القاعدة الروسية" OR بطرطوس -الكرملين Hmeimim') == '"قاعده روسيه" OR طرطوس -كرمل Hmeimim'


def test_search_text_separates_a_number_from_a_hyphenated_model_name():
    assert search_text("إن-١٢٤") == "ان 124"


def test_both_hamza_seats_fold_to_one_spelling():
    assert normalize("مسئول") == normalize("مسؤول")
    assert search_key(normalize("المسئولين")) == search_key(normalize("مسؤول"))
    assert normalize("رئيس") == normalize("رءيس")


@pytest.mark.parametrize(
    "word", ["لبنان", "ليبيا", "بيروت", "بغداد", "باريس", "فلسطين", "فرنسا", "واشنطن", "بريطانيا", "البحرين"]
)
def test_names_whose_first_letter_looks_like_a_clitic_keep_it(word):
    key = search_key(normalize(word))
    assert key[0] == normalize(word).removeprefix("ال")[0], f"{word} → {key}"


def test_a_name_keeps_its_letters_after_a_real_clitic():
    assert {search_key(normalize(w)) for w in ["لبنان", "للبنان", "ولبنان", "بلبنان", "ولبنان"]} == {"لبنان"}
    assert search_key(normalize("اللبنانيين")) == "لبناني"
    assert search_key("بنان") != search_key("لبنان")


def test_no_conjunction_is_stripped_after_the_article():
    assert search_key(normalize("الولايات")) == search_key(normalize("والولايات"))
    assert search_key(normalize("الولايات")) != search_key(normalize("ايات"))


def test_trigram_keys_spell_arabic_keys_in_ascii_one_letter_each():
    from articles.arabic import trigram_key

    key = search_key(normalize("الانسحاب"))
    spelled = trigram_key(key)
    assert spelled.isascii() and spelled.isalnum() and len(spelled) == len(key)
    assert trigram_key(search_key(normalize("مسئول"))) == trigram_key(search_key(normalize("مسؤول")))
    assert trigram_key("Hmeimim") is None
