"""The sources and tags that already exist, and how a phrase of wire copy is matched to them."""

from __future__ import annotations

import re

from ..arabic import normalize
from ..models import Source, Tag


def folded_words(words: str) -> frozenset[str]:
    return frozenset(normalize(word).casefold() for word in words.split())


# Words that every agency shares: they say nothing about which agency is meant.
_GENERIC_NAME_WORDS = folded_words("وكالة الإخبارية للأنباء الأنباء أنباء العربية الرسمية في من news agency the press")
TOKEN = re.compile(r"\w+")
# Conjunctions and prepositions written joined to the next word: و ف ب ل ك and their pairs.
CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def words(text: str) -> list[str]:
    return TOKEN.findall(normalize(text).casefold())


def name_words(text: str) -> frozenset[str]:
    return frozenset(word for word in words(text) if word not in _GENERIC_NAME_WORDS)


def _phrase_pattern(phrase: list[str]) -> re.Pattern:
    first = re.escape(phrase[0])
    if phrase[0].startswith("ال"):
        first = f"(?:{first}|ل{re.escape(phrase[0][1:])})"
    rest = "".join(rf"\s+{re.escape(word)}" for word in phrase[1:])
    return re.compile(rf"(?<!\w)(?:{'|'.join(CLITICS)})?{first}{rest}(?!\w)")


class Registry:
    """Existing sources and tags, read once per parse (three queries, whatever the text)."""

    def __init__(self):
        self.sources = list(Source.objects.only("id", "name_ar", "name_en", "kind", "slug"))
        self._source_words = [
            (source, [w for w in (name_words(source.name_ar or ""), name_words(source.name_en or "")) if w])
            for source in self.sources
        ]
        # Arabic and English names: English copy names tags in English.
        self.tag_names = list(Tag.objects.values_list("name_ar", "name_en"))

    def source_named(self, text: str, *, inside: bool = True) -> tuple[Source | None, bool]:
        """The source `text` names and whether every word of its name is there: the same words,
        fewer of them ("الشرع" for "أحمد الشرع"), or (when `inside`) more of them around the
        source's own name ("مسؤول في إدارة العمليات العسكرية" for "إدارة العمليات العسكرية").
        The closest match wins.
        """
        wanted = name_words(text)
        if not wanted:
            return None, False
        best, best_score, whole = None, 0.0, False
        for source, names in self._source_words:
            for name in names:
                if wanted == name:
                    score = 3.0
                elif wanted < name:
                    score = 1.0 + len(wanted) / len(name)
                elif inside and name < wanted:
                    score = len(name) / len(wanted)
                else:
                    continue
                if score > best_score:
                    best, best_score, whole = source, score, name <= wanted
        return best, whole

    def tags_in(self, text: str) -> list[str]:
        """Existing tags (by their Arabic names) the text mentions in Arabic or English, also after
        a joined و ف ب ل ك ("بطرطوس", "للكرملين")."""
        folded = normalize(text).casefold()
        forms = set()
        for word in TOKEN.findall(folded):
            forms.add(word)
            for clitic in CLITICS:
                bare = word[len(clitic) :]
                if word.startswith(clitic) and len(bare) > 1:
                    # ل before ال drops the alef: "للكرملين" is ل + "الكرملين".
                    forms.update({bare, "ا" + bare} if clitic.endswith("ل") and bare.startswith("ل") else {bare})
        found = []
        for name_ar, name_en in self.tag_names:
            for name in filter(None, (name_ar, name_en)):
                phrase = words(name)
                # Cheap test first; then the words must also stand together, in order.
                if phrase and all(word in forms for word in phrase) and _phrase_pattern(phrase).search(folded):
                    found.append(name_ar)
                    break
        return found
