"""The words stories use, and the correction of a query word that is one slip away from one of them.

The write side (`record()`) runs once the transaction that wrote a story's search document
commits (`search.update_documents()`), in a short transaction of its own. The read side
(`corrections()`) is what search calls when a query finds nothing or very little: pg_trgm finds
candidates in the GIN trigram index, and a candidate is kept only when it is one edit away (a
letter dropped, added, replaced or two swapped) from the typed word.
"""

import re
from collections import Counter

from django.db import connection

from .arabic import normalize, search_key, strip_diacritics, trigram_key

# A word as written: letters with their diacritics and tatweel (shown without them).
_ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u065f\u0670]+")
_ENGLISH_WORD = re.compile("[a-z][a-z0-9]*")
# Keys shorter than this are not corrected: one slip in three letters is another word as often
# as not, and pg_trgm's similarity of so few trigrams says little.
MIN_CORRECTED_LETTERS = 4
MAX_WORD_LENGTH = 100
# Candidates read from the trigram index per typed word, best similarity first.
CANDIDATES = 30
MAX_CORRECTED_WORDS = 4


def terms(text: str, language: str) -> Counter:
    """{(key, display form): occurrences} for the searchable words of a plain text.

    The key is the word as `normalize()` folds it, clitics and all: a slip is made on the word as
    typed ("مفاوضاتت" is one letter from "مفاوضات", three from its search key "مفاوض").
    """
    found: Counter = Counter()
    if language == "ar":
        for written in _ARABIC_WORD.findall(text):
            word = strip_diacritics(written)
            key = normalize(word)
            if len(key) >= MIN_CORRECTED_LETTERS and len(word) <= MAX_WORD_LENGTH and trigram_key(key):
                found[(key, word)] += 1
    else:
        for word in _ENGLISH_WORD.findall(normalize(text).lower()):
            if len(word) >= MIN_CORRECTED_LETTERS and len(word) <= MAX_WORD_LENGTH:
                found[(word, word)] += 1
    return found


_UPSERT = """
    INSERT INTO articles_searchterm (language, word, display, trigrams, stories)
    SELECT v.language, v.word, v.display, v.trigrams, v.stories
    FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[])
        AS v(language, word, display, trigrams, stories)
    ON CONFLICT (language, word) DO UPDATE SET stories = articles_searchterm.stories + EXCLUDED.stories
"""


def record(texts_by_story: list[dict[str, str]]) -> None:
    """Add the words of some stories ({"ar": text, "en": text} each) to the lexicon: one query.

    Each key counts once per story; its display form is the written form seen most often.
    """
    stories: Counter = Counter()
    forms: dict[tuple[str, str], Counter] = {}
    for texts in texts_by_story:
        seen = set()
        for language, text in texts.items():
            for (key, display), count in terms(text, language).items():
                forms.setdefault((language, key), Counter())[display] += count
                seen.add((language, key))
        stories.update(seen)
    if not stories:
        return
    rows = [
        (language, key, forms[(language, key)].most_common(1)[0][0], trigram_key(key) if language == "ar" else key, n)
        for (language, key), n in sorted(stories.items())
    ]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [list(column) for column in zip(*rows, strict=True)])


def within_one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with one letter dropped, added or replaced, or two neighbours swapped.

    Written here rather than taken from a library: it is these few lines, and it runs only on the
    handful of candidates pg_trgm returns.
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _one_edit_as_searched(typed: str, other: str, language: str) -> bool:
    """ "انسحااب" and "الانسحاب": one slip apart once search has taken the article off both."""
    return language == "ar" and within_one_edit(search_key(typed), search_key(other))


def _key(word: str, language: str) -> str:
    folded = normalize(word)
    return folded if language == "ar" else folded.lower()


def corrections(words: list[str], language: str) -> dict[str, str]:
    """{typed word: the word it most likely meant} for the typed words no story uses and that are
    one slip away from a word stories do use, as written or once search has folded both (a slip
    in the word itself first, then the most used word)."""
    keys = {word: _key(word, language) for word in words}
    wanted = {key for key in keys.values() if len(key) >= MIN_CORRECTED_LETTERS}
    if not wanted:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM articles_searchterm WHERE language = %s AND word = ANY(%s)", [language, sorted(wanted)]
        )
        known = {row[0] for row in cursor.fetchall()}
        found: dict[str, str] = {}
        for word, key in list(keys.items())[: MAX_CORRECTED_WORDS * 2]:
            if key in known or key not in wanted or len(found) >= MAX_CORRECTED_WORDS:
                continue
            spelled = trigram_key(key) if language == "ar" else key
            if not spelled:
                continue
            cursor.execute(
                "SELECT word, display, stories FROM articles_searchterm "
                "WHERE language = %s AND trigrams %% %s ORDER BY similarity(trigrams, %s) DESC LIMIT %s",
                [language, spelled, spelled, CANDIDATES],
            )
            close = [
                (within_one_edit(key, other), stories, display)
                for other, display, stories in cursor.fetchall()
                if within_one_edit(key, other) or _one_edit_as_searched(key, other, language)
            ]
            if close:
                found[word] = max(close)[2]
    return found
