"""`parse()`: wire copy to a proposed draft, matched against the sources and tags that exist.

The copy's top is read first: an urgent mark («عاجل»), a title line, then the header before the
opening dash — credit and dateline in any of the orders agencies use («وكالة تليسكوب الإخبارية –»,
«دمشق – وكالة تليسكوب الإخبارية –», «دمشق (أ ف ب) –», «وكالة تليسكوب الإخبارية – دمشق: أعلن …»,
«دمشق – أعلن …»). The rest is paragraphs and subheadings; the headline, summary and deck are
proposed from the lead, and `attributions.find_attributions()` reads who is quoted.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .. import richtext
from ..arabic import normalize
from .attributions import find_attributions, split_sentences
from .matching import Registry, folded_words, words
from .proposal import CreditProposal, WireError, WireProposal
from .typography import clean
from .uploads import looks_like_text, not_text_error

MAX_TEXT_CHARS = 100_000
MIN_WORDS = 3

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\\-"  # escaped hyphen last: a character class
_DASH = f"[{DASHES}]"
# The text before the opening dash: a few words with no sentence punctuation.
_HEADER = re.compile(rf"^(?P<head>[^{DASHES}.،,:؛;!?؟«»“”\"\n]{{2,90}}?)(?:\s+{_DASH}\s*|\s*{_DASH}\s+)(?P<rest>.*)$")
_HEADER_ALONE = re.compile(rf"^(?P<head>[^{DASHES}.،,:؛;!?؟«»“”\"\n]{{2,90}}?)\s*{_DASH}$")
# "دمشق، ٢٦ تشرين الثاني (…) –": the date after the place goes; the story carries its own times.
_DATED_PLACE = re.compile(
    rf"^(?P<place>[^{DASHES}.،,:()\n]{{2,40}}?)\s*[،,]\s*[^{DASHES}،,:()\n]*\d[^{DASHES}،,:()\n]*?(?=\s*[({DASHES}])"
)
# "دمشق: أعلن …" at the start of the lead, after the credit: a place and a colon.
_DATELINE_COLON = re.compile(r"^(?P<place>[^\s:،,.«»“”\"]+(?:\s+[^\s:،,.«»“”\"]+){0,2})\s*:\s+(?P<rest>.+)$")
_PARENS = re.compile(r"^(?P<outside>[^()]*)\((?P<inside>[^()]+)\)\s*$")
_AGENCY_WORDS = folded_words(
    "وكالة أنباء للأنباء الإخبارية رويترز برس الأناضول سانا شينخوا تاس نوفوستي قناة صحيفة "
    "تلفزيون إذاعة موقع news agency press reuters afp ap"
)
# "عاجل:", "عاجل |", "(عاجل)", "URGENT -": the copy is urgent; the mark is not part of the story.
_URGENT = re.compile(rf"^\(?(?:عاجل|عـاجل|urgent|URGENT|Urgent|BREAKING|Breaking)\)?\s*(?:[:|{DASHES}]\s*|$)")
MAX_HEADER_WORDS = 8
MAX_DATELINE_WORDS = 4
MAX_TITLE_WORDS = 20


def _looks_like_outlet(phrase: str, registry: Registry) -> bool:
    """Agencies are credited in parentheses ("(أ ف ب)"), by a telling word, or by a known name."""
    phrase = phrase.strip()
    if phrase.startswith("(") and phrase.endswith(")"):
        return True
    return bool(set(words(phrase)) & _AGENCY_WORDS) or registry.source_named(phrase, inside=False)[0] is not None


def _split_header(first: str, second: str, registry: Registry) -> tuple[list[str], str, bool] | None:
    """The header phrases before the opening dash, the rest of the lead, and whether the lead is
    the next line (a header alone on the first line). None when the text opens without a header.
    """
    dated = _DATED_PLACE.match(first)
    if dated:
        first = dated["place"] + first[dated.end() :]
    alone = _HEADER_ALONE.match(first)
    if alone and second:
        head, rest, next_line = alone["head"], "", True
    else:
        match = _HEADER.match(first)
        if not match:
            return None
        head, rest, next_line = match["head"], match["rest"], False
    if len(head.split()) > MAX_HEADER_WORDS:
        return None
    heads = [head.strip()]
    # "دمشق – وكالة تليسكوب الإخبارية – …": a dateline, then the outlet, then the text.
    if not next_line and not _looks_like_outlet(heads[0], registry):
        more = _HEADER.match(rest)
        if more and len(more["head"].split()) <= MAX_HEADER_WORDS and _looks_like_outlet(more["head"], registry):
            heads.append(more["head"].strip())
            rest = more["rest"]
    return heads, rest.strip(), next_line


def _credit_and_dateline(heads: list[str], registry: Registry) -> tuple[str | None, str]:
    """The credited outlet (None when the header names only a place) and the dateline."""
    phrases: list[tuple[str, bool]] = []  # (phrase, written in parentheses)
    for head in heads:
        parens = _PARENS.match(head)
        if parens:
            if parens["outside"].strip():
                phrases.append((parens["outside"].strip(), False))
            phrases.append((parens["inside"].strip(), True))
        else:
            phrases.append((head, False))
    credit = next((p for p, in_parens in phrases if in_parens), None)
    credit = credit or next((p for p, _ in phrases if _looks_like_outlet(p, registry)), None)
    if credit is None and len(phrases) == 1 and len(phrases[0][0].split()) <= MAX_DATELINE_WORDS:
        # "دمشق – …": a place alone before the dash is the dateline, not an agency.
        return None, phrases[0][0]
    credit = credit or phrases[-1][0]
    rest = [p for p, _ in phrases if p != credit]
    dateline = rest[0] if rest and len(rest[0].split()) <= MAX_DATELINE_WORDS else ""
    return credit, dateline


CLOSING_PUNCTUATION = tuple('.!?؟…:؛;،,"”»)')
MAX_SUBHEADING_WORDS = 12
# A clause opening with one of these sets the scene; the news is in the clause that follows.
_SCENE_OPENERS = {
    normalize(word)
    for word in ("على", "في", "من", "إلى", "مع", "بعد", "قبل", "خلال", "وسط", "عند", "منذ", "عقب", "بين", "أمام")
}
MAX_HEADLINE_CHARS = 250
MAX_SUMMARY_CHARS = 600
MAX_DECK_CHARS = 300
MAX_SCENE_WORDS = 4


def _is_subheading_shape(line: str) -> bool:
    return len(line.split()) <= MAX_SUBHEADING_WORDS and not line.endswith(CLOSING_PUNCTUATION)


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """("p" | "h2", text) for every line: a subheading is short, unpunctuated and followed by a paragraph."""
    blocks = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        heading = index > 0 and following is not None and _is_subheading_shape(line)
        heading = heading and not _is_subheading_shape(following)
        blocks.append(("h2" if heading else "p", line))
    return blocks


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip("،,؛;:") + "…"


def _headline(lead: str) -> str:
    sentences = split_sentences(lead)
    if not sentences:
        return ""
    first = sentences[0].rstrip(".!؟?…")
    for clause in re.split(r"\s*[،,]\s*", first):
        clause_words = clause.split()
        if len(clause_words) >= 4 and normalize(clause_words[0]) not in _SCENE_OPENERS:
            return _trim(clause, MAX_HEADLINE_CHARS)
    return _trim(first, MAX_HEADLINE_CHARS)


def _without_scene(sentence: str) -> str:
    """ "في تطور لافت، أكد …" → "أكد …": a short scene-setting clause does not open a deck."""
    head, comma, rest = sentence.partition("،")
    if comma and rest.strip() and len(head.split()) <= MAX_SCENE_WORDS:
        return rest.strip()
    return sentence


def _deck(paragraphs: list[str], has_title: bool) -> str:
    """The line under the headline: with a title line, the lead's first sentence; otherwise the
    sentence after it (in the lead, else the next paragraph), which adds the second fact."""
    sentences = [s for p in paragraphs[:2] for s in split_sentences(p)]
    pick = sentences[0] if has_title and sentences else (sentences[1] if len(sentences) > 1 else "")
    return _trim(_without_scene(pick), MAX_DECK_CHARS) if pick else ""


def _title_lines(lines: list[str], registry: Registry) -> tuple[str, str, list[str]]:
    """A title (and deck) line above the credit line, as some agencies send them."""
    for count in (2, 1):
        if len(lines) <= count or _split_header(lines[count], "", registry) is None:
            continue
        top = lines[:count]
        if all(len(line.split()) <= MAX_TITLE_WORDS * (index + 1) for index, line in enumerate(top)) and not top[
            0
        ].endswith(CLOSING_PUNCTUATION):
            return top[0], (top[1] if count == 2 else ""), lines[count:]
    return "", "", lines


def _check(text: str) -> None:
    if text is None or not text.strip():
        raise WireError(_("The text is empty. Paste the wire copy or choose a file."))
    if len(text) > MAX_TEXT_CHARS:
        raise WireError(
            _("The text is too long (%(length)d characters); wire copy may be at most %(limit)d.")
            % {"length": len(text), "limit": MAX_TEXT_CHARS}
        )
    if not looks_like_text(text):
        raise not_text_error()


def parse(text: str) -> WireProposal:
    """Read wire copy into a proposed draft. Raises WireError when there is nothing to read."""
    _check(text)
    text = unicodedata.normalize("NFC", text)
    text, cleanup = clean(text)
    lines = [line for line in text.split("\n") if line]
    if not lines:
        raise WireError(_("The text is empty. Paste the wire copy or choose a file."))
    if len(text.split()) < MIN_WORDS:
        raise WireError(_("The text is too short to be a story: paste the whole wire copy."))
    registry = Registry()

    urgent = _URGENT.match(lines[0])
    if urgent:
        lines = [lines[0][urgent.end() :], *lines[1:]] if lines[0][urgent.end() :].strip() else lines[1:]
        if not lines:
            raise WireError(_("The text is too short to be a story: paste the whole wire copy."))
    title, title_deck, lines = _title_lines(lines, registry)

    credit, dateline = None, ""
    header = _split_header(lines[0], lines[1] if len(lines) > 1 else "", registry)
    if header is not None:
        heads, rest, next_line = header
        credit_name, dateline = _credit_and_dateline(heads, registry)
        if credit_name:
            credit = CreditProposal(name=credit_name, source=registry.source_named(credit_name, inside=False)[0])
        lines = lines[1:] if next_line else ([rest, *lines[1:]] if rest else lines[1:])
        colon = _DATELINE_COLON.match(lines[0]) if lines and not dateline else None
        if colon and not any(word in _SCENE_OPENERS for word in words(colon["place"])):
            # "وكالة تليسكوب الإخبارية – دمشق: أعلن …": the dateline, and not twice in the body.
            dateline, lines = colon["place"], [colon["rest"], *lines[1:]]
    if not lines:
        raise WireError(_("The text has a credit but no story after it."))

    blocks = _blocks(lines)
    paragraphs = [line for kind, line in blocks if kind == "p"]
    subheadings = [line for kind, line in blocks if kind == "h2"]
    body = richtext.sanitize("\n".join(f"<{kind}>{escape(line)}</{kind}>" for kind, line in blocks))
    lead = paragraphs[0] if paragraphs else lines[0]
    summary = _trim((split_sentences(lead) or [lead])[0], MAX_SUMMARY_CHARS)
    return WireProposal(
        credit=credit,
        dateline=dateline,
        headline=_trim(title, MAX_HEADLINE_CHARS) if title else (_headline(lead) or _trim(lead, MAX_HEADLINE_CHARS)),
        deck=_trim(title_deck, MAX_DECK_CHARS) if title_deck else _deck(paragraphs, bool(title)),
        summary=summary,
        body_html=body,
        paragraphs=paragraphs,
        subheadings=subheadings,
        tags=registry.tags_in(text),
        attributions=find_attributions(paragraphs, registry),
        cleanup=cleanup,
        text=text,
        is_breaking=bool(urgent),
    )
