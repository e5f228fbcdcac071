"""`parse()`: wire copy to a proposed draft, matched against the sources and tags that exist."""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .. import richtext
from ..arabic import normalize
from ..models import Source, Tag
from .proposal import AttributionProposal, CreditProposal, WireError, WireProposal
from .typography import clean
from .uploads import looks_like_text, not_text_error

MAX_TEXT_CHARS = 100_000
MIN_WORDS = 3


def _folded(words: str) -> set[str]:
    return {normalize(word).casefold() for word in words.split()}


# Words that every agency shares: they say nothing about which agency is meant.
_GENERIC_NAME_WORDS = _folded("وكالة الإخبارية للأنباء الأنباء أنباء العربية الرسمية في من news agency the press")
_TOKEN = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text).casefold())


def _name_words(text: str) -> frozenset[str]:
    return frozenset(word for word in _words(text) if word not in _GENERIC_NAME_WORDS)


class _Registry:
    """Existing sources and tags, read once per parse."""

    def __init__(self):
        self.sources = list(Source.objects.only("id", "name_ar", "name_en", "kind", "slug"))
        self._source_words = [
            (source, [w for w in (_name_words(source.name_ar or ""), _name_words(source.name_en or "")) if w])
            for source in self.sources
        ]
        self.tag_names = list(Tag.objects.values_list("name", flat=True))

    def source_named(self, text: str, *, inside: bool = True) -> Source | None:
        """The source `text` names: the same words, fewer of them ("الشرع" for "أحمد الشرع"),
        or (when `inside`) more of them around the source's own name ("مسؤول في إدارة العمليات
        العسكرية" for "إدارة العمليات العسكرية"). The closest match wins.
        """
        wanted = _name_words(text)
        if not wanted:
            return None
        best, best_score = None, 0.0
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
                    best, best_score = source, score
        return best

    def tags_in(self, text: str) -> list[str]:
        """Existing tags the text mentions, also after a joined و ف ب ل ك ("بطرطوس", "للكرملين")."""
        folded = normalize(text).casefold()
        forms = set()
        for word in _TOKEN.findall(folded):
            forms.add(word)
            for clitic in _CLITICS:
                bare = word[len(clitic) :]
                if word.startswith(clitic) and len(bare) > 1:
                    # ل before ال drops the alef: "للكرملين" is ل + "الكرملين".
                    forms.update({bare, "ا" + bare} if clitic.endswith("ل") and bare.startswith("ل") else {bare})
        found = []
        for name in self.tag_names:
            words = _words(name)
            # Cheap test first; then the words must also stand together, in order.
            if words and all(word in forms for word in words) and _phrase_pattern(words).search(folded):
                found.append(name)
        return found


# Conjunctions and prepositions written joined to the next word: و ف ب ل ك and their pairs.
_CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def _phrase_pattern(words: list[str]) -> re.Pattern:
    first = re.escape(words[0])
    if words[0].startswith("ال"):
        first = f"(?:{first}|ل{re.escape(words[0][1:])})"
    rest = "".join(rf"\s+{re.escape(word)}" for word in words[1:])
    return re.compile(rf"(?<!\w)(?:{'|'.join(_CLITICS)})?{first}{rest}(?!\w)")


DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\\-"  # escaped hyphen last: a character class
_DASH = f"[{DASHES}]"
# The text before the opening dash: a few words with no sentence punctuation.
_HEADER = re.compile(rf"^(?P<head>[^{DASHES}.،,:؛;!?؟«»“”\"\n]{{2,90}}?)(?:\s+{_DASH}\s*|\s*{_DASH}\s+)(?P<rest>.*)$")
_HEADER_ALONE = re.compile(rf"^(?P<head>[^{DASHES}.،,:؛;!?؟«»“”\"\n]{{2,90}}?)\s*{_DASH}$")
_PARENS = re.compile(r"^(?P<outside>[^()]*)\((?P<inside>[^()]+)\)\s*$")
_AGENCY_WORDS = _folded(
    "وكالة أنباء للأنباء الإخبارية رويترز برس الأناضول سانا شينخوا تاس نوفوستي قناة صحيفة "
    "تلفزيون إذاعة موقع news agency press reuters afp ap"
)
MAX_HEADER_WORDS = 8
MAX_DATELINE_WORDS = 4


def _looks_like_outlet(phrase: str, registry: _Registry) -> bool:
    """Agencies are credited in parentheses ("(أ ف ب)"), by a telling word, or by a known name."""
    phrase = phrase.strip()
    if phrase.startswith("(") and phrase.endswith(")"):
        return True
    return bool(set(_words(phrase)) & _AGENCY_WORDS) or registry.source_named(phrase, inside=False) is not None


def _split_header(first: str, second: str, registry: _Registry) -> tuple[list[str], str, bool] | None:
    """The header phrases before the opening dash, the rest of the lead, and whether the lead is
    the next line (a header alone on the first line). None when the text opens without a header.
    """
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


def _credit_and_dateline(heads: list[str], registry: _Registry) -> tuple[str, str]:
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
    credit = credit or phrases[-1][0]
    rest = [p for p, _ in phrases if p != credit]
    dateline = rest[0] if rest and len(rest[0].split()) <= MAX_DATELINE_WORDS else ""
    return credit, dateline


CLOSING_PUNCTUATION = tuple('.!?؟…:؛;،,"”»)')
MAX_SUBHEADING_WORDS = 12
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")
# A clause opening with one of these sets the scene; the news is in the clause that follows.
_SCENE_OPENERS = {
    normalize(word)
    for word in ("على", "في", "من", "إلى", "مع", "بعد", "قبل", "خلال", "وسط", "عند", "منذ", "عقب", "بين", "أمام")
}
MAX_HEADLINE_CHARS = 250
MAX_SUMMARY_CHARS = 600


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


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip("،,؛;:") + "…"


def _headline(lead: str) -> str:
    sentences = _sentences(lead)
    if not sentences:
        return ""
    first = sentences[0].rstrip(".!؟?…")
    for clause in re.split(r"\s*[،,]\s*", first):
        words = clause.split()
        if len(words) >= 4 and normalize(words[0]) not in _SCENE_OPENERS:
            return _trim(clause, MAX_HEADLINE_CHARS)
    return _trim(first, MAX_HEADLINE_CHARS)


ATTRIBUTION_VERBS = ("أكد", "صرّح", "أفاد", "أشار", "أعلن", "أوضح", "قال", "ذكر", "كشف", "نقل", "بيّن")
# The verb as written in a sentence: with و or ف before it, and the feminine, dual or plural ending.
_VERB = re.compile(r"^[وف]?(?:{})(?:ت|وا|تا|ا)?$".format("|".join(normalize(v) for v in ATTRIBUTION_VERBS)))
_PUNCTUATION = '،,.:؛;!؟?“”«»"()'
# Where the party named after the verb ends: the reported speech, a preposition, a time.
_PARTY_STOP_WORDS = _folded(
    "أن إن بأن أنه إنه بأنه أنها بأنها إلى عن يوم اليوم أمس مساء صباح خلال السبت الأحد الاثنين "
    "الثلاثاء الأربعاء الخميس الجمعة أيضا كذلك بدوره بدورها"
)
_STATEMENT_WORDS = {normalize(w) for w in ("بيان", "تصريح", "تصريحات", "حديث", "مؤتمر", "مقابلة", "كلمة", "لقاء")}
MAX_PARTY_WORDS = 10
# Nouns that describe a person or group without naming them.
_UNNAMED_NOUNS = _folded(
    "مسؤول مسؤولة مسؤولين مسؤولون ضابط ضباط مصدر مصادر دبلوماسي دبلوماسيين دبلوماسيون شاهد شهود "
    "عضو أعضاء مستشار موظف موظفين عنصر عناصر قيادي قياديين خبير خبراء ناشط ناشطين مقاتل مقاتلين "
    "سكان مراقبين مراقبون محلل محللين"
)
_COUNTING_WORDS = _folded("أحد إحدى بعض عدد عدة من اثنان اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة")


def _is_verb(word: str, following: list[str]) -> bool:
    folded = normalize(word)
    # "نقلًا عن" (quoting) is an adverb, not the verb نقل.
    if not _VERB.match(folded) or folded.lstrip("وف") == "نقلا":
        return False
    # بيّن (explained) is بين (between) without its shadda: believe it with the shadda, an
    # ending, or the reported speech right after it.
    if folded.lstrip("وف") == "بين":
        next_word = normalize(following[0].strip(_PUNCTUATION)) if following else ""
        return "\u0651" in word or next_word in {"ان", "انه", "انها"}
    return True


def _party(following: list[str]) -> str:
    words = []
    for raw in following:
        word = raw.strip(_PUNCTUATION)
        folded = normalize(word)
        if not word or folded in _PARTY_STOP_WORDS or folded.startswith("لل") or raw[0] in _PUNCTUATION:
            break
        words.append(word)
        if raw[-1] in _PUNCTUATION or len(words) >= MAX_PARTY_WORDS:
            break
    # "… في بيان", "… في تصريحات": the statement, not the party.
    for index in range(len(words) - 1):
        if normalize(words[index]) == "في" and normalize(words[index + 1]).removeprefix("ال") in _STATEMENT_WORDS:
            return " ".join(words[:index])
    return " ".join(words)


def _is_unnamed(party: str) -> bool:
    """ "أربعة مسؤولين سوريين", "ضابط سوري كبير": an indefinite noun for a person, not a name or title."""
    words = [normalize(w) for w in party.split()]
    while words and words[0] in _COUNTING_WORDS:
        words = words[1:]
    if not words or words[0] not in _UNNAMED_NOUNS:
        return False
    # "مسؤول العلاقات العامة": a noun joined to a definite one is a title, not a description.
    return len(words) == 1 or not words[1].startswith("ال")


def _is_bare_title(party: str) -> bool:
    """ "المسؤول", "الضابط": the story speaks again of a party it has named."""
    words = party.split()
    return len(words) == 1 and normalize(words[0]).removeprefix("ال") in _UNNAMED_NOUNS


def _attributions(paragraphs: list[str], registry: _Registry) -> list[AttributionProposal]:
    found: dict[str, AttributionProposal] = {}
    last: AttributionProposal | None = None
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            words = sentence.split()
            for index, raw in enumerate(words):
                following = words[index + 1 :]
                if not _is_verb(raw.strip(_PUNCTUATION), following):
                    continue
                party = _party(following)
                if not party or _is_bare_title(party):
                    # "وبيّن أن…", "وأشار المسؤول إلى…": the party last named speaks again.
                    if last is not None and sentence not in last.sentences:
                        last.sentences.append(sentence)
                    continue
                proposal = _propose_attribution(party, registry)
                key = f"source:{proposal.source.pk}" if proposal.source else normalize(party)
                proposal = found.setdefault(key, proposal)
                if sentence not in proposal.sentences:
                    proposal.sentences.append(sentence)
                last = proposal
    return list(found.values())


def _propose_attribution(party: str, registry: _Registry) -> AttributionProposal:
    anonymous = _is_unnamed(party)
    source = registry.source_named(party)
    if anonymous and source is not None and not (_name_words(source.name_ar) <= _name_words(party)):
        # An unnamed official is not the organisation whose name shares a word with the description.
        source = None
    return AttributionProposal(
        description=party,
        source=source,
        new_source_name="" if source else party,
        is_anonymous=anonymous,
    )


def parse(text: str) -> WireProposal:
    """Read wire copy into a proposed draft. Raises WireError when there is nothing to read."""
    if text is None or not text.strip():
        raise WireError(_("The text is empty. Paste the wire copy or choose a file."))
    if len(text) > MAX_TEXT_CHARS:
        raise WireError(
            _("The text is too long (%(length)d characters); wire copy may be at most %(limit)d.")
            % {"length": len(text), "limit": MAX_TEXT_CHARS}
        )
    if not looks_like_text(text):
        raise not_text_error()
    text = unicodedata.normalize("NFC", text)
    text, cleanup = clean(text)
    lines = [line for line in text.split("\n") if line]
    if not lines:
        raise WireError(_("The text is empty. Paste the wire copy or choose a file."))
    if len(text.split()) < MIN_WORDS:
        raise WireError(_("The text is too short to be a story: paste the whole wire copy."))
    registry = _Registry()

    credit, dateline = None, ""
    header = _split_header(lines[0], lines[1] if len(lines) > 1 else "", registry)
    if header is not None:
        heads, rest, next_line = header
        credit_name, dateline = _credit_and_dateline(heads, registry)
        credit = CreditProposal(name=credit_name, source=registry.source_named(credit_name, inside=False))
        lines = lines[1:] if next_line else ([rest, *lines[1:]] if rest else lines[1:])
    if not lines:
        raise WireError(_("The text has a credit but no story after it."))

    blocks = _blocks(lines)
    paragraphs = [line for kind, line in blocks if kind == "p"]
    subheadings = [line for kind, line in blocks if kind == "h2"]
    body = richtext.sanitize("\n".join(f"<{kind}>{escape(line)}</{kind}>" for kind, line in blocks))
    lead = paragraphs[0] if paragraphs else lines[0]
    summary = _trim((_sentences(lead) or [lead])[0], MAX_SUMMARY_CHARS)
    return WireProposal(
        credit=credit,
        dateline=dateline,
        headline=_headline(lead) or _trim(lead, MAX_HEADLINE_CHARS),
        summary=summary,
        body_html=body,
        paragraphs=paragraphs,
        subheadings=subheadings,
        tags=registry.tags_in(text),
        attributions=_attributions(paragraphs, registry),
        cleanup=cleanup,
        text=text,
    )
