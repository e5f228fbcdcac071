"""Arabic text: normalisation for search and matching, slugs, digits and dates."""

import functools
import re
import unicodedata
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify as django_slugify

# Harakat, tanwin, shadda, sukun and the Quranic marks (U+064B–U+065F) and the superscript alef.
TASHKEEL = re.compile("[\u064b-\u065f\u0670]")
TATWEEL = "\u0640"
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # The hamza's seat is a spelling choice ("مسئول" and "مسؤول" are both standard): fold
        # every seat to the bare hamza, so both spellings meet.
        "ؤ": "ء",
        "ئ": "ء",
    }
)
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_LATIN_DIGITS = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
_TO_ARABIC_DIGITS = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)
_WHITESPACE = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Remove tashkeel and tatweel, keeping every letter as written."""
    return TASHKEEL.sub("", text).replace(TATWEEL, "")


def normalize(text: str) -> str:
    """Fold the spelling variants Arabic readers treat as one word.

    Strips tashkeel and tatweel, folds hamza-carrying alefs to bare alef, the hamza on waw or ya to
    the bare hamza, alef maqsura to ya and ta marbuta to ha, turns Arabic-Indic and Persian digits
    into Western ones and collapses whitespace. Latin text is left alone. Used on both indexed text
    and queries, so the two meet.
    """
    text = strip_diacritics(text).translate(_LETTER_FOLDS).translate(_TO_LATIN_DIGITS)
    return _WHITESPACE.sub(" ", text).strip()


# Clitics written joined to the next word, in the order Arabic writes them: a conjunction (و ف),
# then a preposition (ب ل; لل is ل before ال with the alef dropped), then the article ال. Each is
# stripped at most once, in that order, so "وبالانسحاب", "بالانسحاب" and "الانسحاب" all reach
# "انسحاب" while "الولايات" stays "ولايات" (no conjunction after an article). A single letter is
# stripped only when four letters remain and the article only when three do, so short words whose
# first letter belongs to the root ("وصل", "بلد", "الله") stay whole.
_CONJUNCTIONS = frozenset("وف")
_PREPOSITIONS = frozenset("بل")
# Names and common newsroom nouns whose first letter looks like a clitic but belongs to the word
# ("لبنان" is not ل + "بنان", "بيروت" not ب + "يروت"). A word starting with one of these stems is
# kept whole, with its endings ("لبنانيون", "فلسطينية"). Normalised forms (ة → ه, أ → ا).
_WHOLE_WORDS = """
    لبنان ليبي لندن لاهاي لشبونه لوكسمبورغ لاتفي ليتواني لافروف لجنه لجان لقاءات لاعب لواء لحظه
    ليله لغه لاءحه بيروت بغداد باريس برلين بكين بروكسل بريطان بلجيك بولند بلغاري بنغازي بعلبك
    بانياس بصري بيلاروس بورما بنما بيرو باكستان بنغلاد بوتين بايدن بلينكن بوليفي بوروندي بيت لحم
    بلديه بلده بلاد بلدان بيان برلمان برنامج بطوله بعثه بيءه بنوك بحيره بحرين فرنس فلسطين فنلند
    فنزويل فيتنام فيينا فلوريدا فرانكفورت فلاديمير فيدان فرق فتره فصاءل فصيل فندق فعاليه فعاليات
    فكره واشنطن وارسو ولينغتون وزاره وزارات وكاله وكالات ولايه ولايات وثيقه وثاءق وحدات ورقه وفاه
    وفود وساءل وساطه واقع وقاءع وادي وطنيه
"""
_WHOLE_STEMS = frozenset(_WHOLE_WORDS.split())
_WHOLE_STEM_LENGTHS = sorted({len(stem) for stem in _WHOLE_STEMS})
# Plural and nisba endings PostgreSQL's stemmer handles unevenly ("سوريين" and "سوري" stem
# differently, "روسيا" and "روسي" too): trimmed first so both sides of a match stem alike.
_SUFFIXES = (("ات", ""), ("ين", ""), ("ون", ""), ("يا", "ي"))
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
_HYPHEN_BEFORE_DIGIT = re.compile(r"(?<=\w)-(?=\d)")


def _is_whole(word: str) -> bool:
    return any(word[:length] in _WHOLE_STEMS for length in _WHOLE_STEM_LENGTHS)


def _strip_proclitics(word: str) -> str:
    if word[:1] in _CONJUNCTIONS and len(word) >= 5 and not _is_whole(word):
        word = word[1:]
    if word[:1] in _PREPOSITIONS and len(word) >= 5 and not _is_whole(word):
        if word.startswith("لل") and not _is_whole(word[1:]):
            return word[2:] if len(word) >= 6 else word[1:]  # ل + الـ: "للقوات" → "قوات"
        word = word[1:]
        if _is_whole(word):
            return word
    if word.startswith("ال") and len(word) >= 5:
        word = word[2:]
    return word


@functools.lru_cache(maxsize=200_000)
def search_key(word: str) -> str:
    """The form of one normalised Arabic word that the search index and queries share.

    Not a linguistic stem: a deterministic folding applied identically to stories and queries, so
    "القوات", "والقوات", "للقوات" and "قوات" meet, whatever PostgreSQL's `arabic` stemmer then
    does with the result; names such as "لبنان" keep their first letter.
    """
    word = _strip_proclitics(word)
    if word in _WHOLE_STEMS:
        return word  # "فلسطين", "البحرين": the ending is the name's, not a plural
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def search_text(text: str) -> str:
    """`normalize()` the text, then replace every Arabic word by its `search_key()`.

    Everything else (Latin words, digits, quotes, "-" and "OR") is kept, so a query keeps its
    web-search syntax.
    """
    text = _ARABIC_WORD.sub(lambda match: search_key(match.group()), normalize(text))
    # "إن-124": PostgreSQL's parser reads "-124" as a negative number, so "124" would not match.
    return _HYPHEN_BEFORE_DIGIT.sub(" ", text)


def slugify(text: str, max_length: int = 100) -> str:
    """A readable slug that keeps Arabic letters: no diacritics, no punctuation, words joined by '-'."""
    text = unicodedata.normalize("NFKC", strip_diacritics(text)).translate(_TO_LATIN_DIGITS)
    slug = django_slugify(text, allow_unicode=True)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def to_latin_digits(text: str) -> str:
    return text.translate(_TO_LATIN_DIGITS)


def localize_digits(text: str, language: str = "ar") -> str:
    """Arabic-Indic digits on Arabic pages unless settings.ARABIC_DIGITS says "latin"."""
    if language == "ar" and settings.ARABIC_DIGITS != "latin":
        return str(text).translate(_TO_ARABIC_DIGITS)
    return str(text)


# The month names the agency uses: the Levantine (Syriac) calendar names.
LEVANTINE_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)


def format_datetime(value: datetime, language: str = "ar", with_time: bool = True) -> str:
    """'٢٤ تشرين الثاني ٢٠٢٦، ١٠:٣٠' in the newsroom's time zone; English dates on English pages."""
    return _format_datetime(value, language, with_time, timezone.get_current_timezone(), settings.ARABIC_DIGITS)


# Pages print the same few hundred moments over and over (every card's time, on every build of
# every listing): each is formatted once per process for each set of inputs, the time zone and
# the digits setting included, so a changed setting is never served from here.
DATES_KEPT = 20_000


@functools.lru_cache(maxsize=DATES_KEPT)
def _format_datetime(value: datetime, language: str, with_time: bool, zone, _digits: str) -> str:
    value = timezone.localtime(value, zone)
    if language != "ar":
        text = f"{value.day} {value:%B %Y}"
        return f"{text}, {value:%H:%M}" if with_time else text
    text = f"{value.day} {LEVANTINE_MONTHS[value.month - 1]} {value.year}"
    if with_time:
        text += f"، {value.hour:02}:{value.minute:02}"
    return localize_digits(text, language)


def _arabic_count(n: int, one: str, two: str, few: str, many: str) -> str:
    """Arabic number agreement: 1 and 2 by the noun alone, 3–10 plural, 11 and up singular."""
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def format_relative(value: datetime, language: str = "ar", now: datetime | None = None) -> str | None:
    """'منذ ٥ دقائق' / '5 minutes ago' for times in the last day; None for anything older or later."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 0 or seconds >= 24 * 3600:
        return None
    minutes, hours = int(seconds // 60), int(seconds // 3600)
    if language != "ar":
        if minutes < 1:
            return "just now"
        if hours < 1:
            return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    if minutes < 1:
        return "الآن"
    if hours < 1:
        text = _arabic_count(minutes, "دقيقة", "دقيقتين", "دقائق", "دقيقة")
    else:
        text = _arabic_count(hours, "ساعة", "ساعتين", "ساعات", "ساعة")
    return localize_digits(f"منذ {text}", language)


def format_when(value: datetime, language: str = "ar", now: datetime | None = None) -> str:
    """How a public page shows a time: relative within the last day, the full date otherwise."""
    return format_relative(value, language, now) or format_datetime(value, language)


def format_hijri(value: datetime, language: str = "ar") -> str:
    """The Umm al-Qura date of the day `value` falls on in the newsroom's time zone, as Arabic
    news sites print it: "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ" ("Thursday 16 Jumada al-Akhirah 1448 AH"
    in English). Empty when settings.HIJRI_DATES is off or the date is outside the calendar's
    tables (1924–2077).
    """
    if not settings.HIJRI_DATES:
        return ""
    day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _format_hijri(day, language, settings.ARABIC_DIGITS)


@functools.lru_cache(maxsize=DATES_KEPT)
def _format_hijri(day, language: str, _digits: str) -> str:
    from hijridate import Gregorian

    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except OverflowError:
        return ""
    code = "ar" if language == "ar" else "en"
    text = f"{hijri.day_name(code)} {hijri.day} {hijri.month_name(code)} {hijri.year} {hijri.notation(code)}"
    return localize_digits(text, language)


def format_datetime_with_hijri(value: datetime, language: str = "ar") -> str:
    """The Hijri date, then the Gregorian date and time: "الخميس ١٦ جمادى الآخرة ١٤٤٨ هـ، ٢٦ تشرين
    الثاني ٢٠٢٦، ١٩:٢٩". Just the Gregorian one when Hijri dates are off."""
    hijri = format_hijri(value, language)
    gregorian = format_datetime(value, language)
    return f"{hijri}{'، ' if language == 'ar' else ', '}{gregorian}" if hijri else gregorian


# Every letter a search key can hold (after normalize(): no أ إ آ ة ى ؤ ئ), one Latin letter or
# digit each. pg_trgm counts only what the database's LC_CTYPE calls alphanumeric: under the C
# locale it makes no trigram from Arabic at all. Spelled in ASCII, the same trigrams come out
# whatever locale the database was created with (the shared server, a project-local cluster, a
# managed one).
_KEY_LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي\u063b\u063c\u063d\u063e\u063f"
_TO_TRIGRAM_LETTERS = str.maketrans(_KEY_LETTERS, "abcdefghijklmnopqrstuvwxyz0123456789"[: len(_KEY_LETTERS)])
_TRIGRAM_SPELLABLE = re.compile(f"^[{_KEY_LETTERS}]+$")


def trigram_key(key: str) -> str | None:
    """The ASCII spelling of an Arabic search key for pg_trgm, one character per letter (so
    similarity is exactly that of the Arabic letters); None for a key with other characters."""
    return key.translate(_TO_TRIGRAM_LETTERS) if _TRIGRAM_SPELLABLE.match(key) else None
