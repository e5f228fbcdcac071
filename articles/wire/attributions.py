"""Who a story quotes: attributions in every word order Arabic news uses, each with a confidence.

Shapes read (see tests/wire_corpus/ for thirty-odd stories marked by hand):

- verb first: «قال وزير الخارجية التركي هاكان فيدان إن …», «وأكد مسؤول كبير أن …»;
- subject first, with appositions: «وزير الخارجية، هاكان فيدان، قال …», «فيدان، وزير الخارجية، أكد …»;
- reported speech: «بحسب ما أفاد به مصدر أمني», «وفقاً لـوزارة الصحة», «نقلاً عن مسؤول»,
  «نقلت صحيفة الوطن عن مسؤول …» (the outlet and its own source);
- spread over a quote: «"…"، قال الوزير» and «"…"، أضاف، "…"»;
- a party spoken of again («وأضاف أن …», «وأشار المسؤول إلى …») collects its later sentences.

Each proposal carries `Reason`s for and against it; the confidence is their weighted sum, so the
rules stay a table (WEIGHTS) rather than a tangle of branches.
"""

from __future__ import annotations

import re

from ..arabic import normalize
from ..models import Source
from .matching import Registry, name_words
from .proposal import AttributionProposal, Reason
from .vocabulary import (
    ANONYMITY,
    AUXILIARIES,
    BACK_REFERENCES,
    CLAUSE_END,
    COUNTING_WORDS,
    COUNTS_WITH_OF,
    DISCOURSE,
    DOCUMENT_NOUNS,
    FIRST_PERSON,
    ISSUED_BY,
    LONG_PARTY_WORDS,
    MAX_PARTY_WORDS,
    MAX_SUBJECT_WORDS,
    MIN_CONFIDENCE,
    NOT_AGENTS,
    OBJECT_NOUNS,
    OCCASION_WORDS,
    ON_THE_TONGUE,
    OUTLET_WORDS,
    PARTY_STOP_WORDS,
    PERSON_WORDS,
    PREPOSITIONS,
    PRESENT,
    PUNCTUATION,
    REPORTED,
    SPEECH_VERBS,
    THAT,
    TIME_OR_PLACE,
    TITLE_WORDS,
    TITLES_WITH_TO,
    TOLD,
    UNNAMED_NOUNS,
    VERB,
    WEIGHTS,
)


def bare(word: str) -> str:
    return word.strip(PUNCTUATION + "ـ")


def folded(word: str) -> str:
    return normalize(bare(word)).casefold()


def is_speech_verb(word: str, previous: str = "", following: list[str] | None = None) -> bool:
    form = folded(word)
    if not (VERB.match(form) or PRESENT.match(form)):
        return False
    stem = form.lstrip("وف") if len(form) > 3 else form
    # "عدم ذكر اسمه": the noun "mentioning", not the verb "mentioned"; "لم تعلن أي جهة": nobody spoke.
    if folded(previous) in {"عدم", "دون", "لم", "ولم", "لا", "ولا", "لن", "ولن"}:
        return False
    # "نقلًا عن" (quoting) is an adverb, not the verb نقل.
    if stem in {"نقلا"}:
        return False
    # بيّن (explained) is بين (between) without its shadda: believe it with the shadda, an ending,
    # or the reported speech right after it.
    if stem == "بين":
        next_word = folded(following[0]) if following else ""
        return "\u0651" in word or next_word in {"ان", "انه", "انها"}
    # "ذكر" and "كشف" open a noun phrase as often as a sentence ("ذكرى"): only as verbs when a
    # party or the reported speech follows, which _party() checks anyway.
    return True


def split_sentences(paragraph: str) -> list[str]:
    """Sentences, never cut inside a quotation: «… انتهى. وبدأ …»، قال الوزير is one sentence."""
    sentences, start, depth = [], 0, 0
    straight_open = False
    for index, char in enumerate(paragraph):
        if char in "«“":
            depth += 1
        elif char in "»”":
            depth = max(0, depth - 1)
        elif char == '"':
            straight_open = not straight_open
        elif (
            char in ".!?؟…"
            and depth == 0
            and not straight_open
            and (index + 1 == len(paragraph) or paragraph[index + 1].isspace())
        ):
            sentences.append(paragraph[start : index + 1].strip())
            start = index + 1
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if s]


def _is_told(raw: str, form: str) -> bool:
    """ "لـ«تليسكوب»", "للصحفيين", "لوكالة تليسكوب": who was told, not who spoke."""
    if raw.startswith("لـ"):
        return True
    rest = form[1:]
    return form.startswith("ل") and (rest in OUTLET_WORDS or rest in TOLD or "ا" + rest in TOLD)


def _is_adverb(form: str) -> bool:
    """ "مضيفاً", "مؤكداً", "مشيراً": a circumstance of the speaking, never a name."""
    return len(form) > 4 and form.startswith("م") and form.endswith("ا")


def _party_after(following: list[str], *, tells: bool = False) -> tuple[list[str], int, bool]:
    """The words naming the party after a verb or a reported-speech word, and how many tokens were
    read (so a second party after "عن" can be looked for), and whether a short apposition after
    a comma ("قال رئيس المجلس المحلي، فراس العلي.") was taken into the party."""
    party: list[str] = []
    read = 0
    for raw in following:
        word = bare(raw)
        form = normalize(word).casefold()
        if not word or raw[0] in PUNCTUATION:
            break
        first = folded(party[0]) if party else ""
        next_form = folded(following[read + 1]) if read + 1 < len(following) else ""
        plain = not first.startswith("ال") and first not in TITLE_WORDS and first not in OUTLET_WORDS
        described = bool(party) and (first in UNNAMED_NOUNS or plain or all(folded(w) in COUNTS_WITH_OF for w in party))
        # "المبعوث الخاص إلى اليمن", "لاجئ عائد إلى ريف القصير", "شاهد من بلدة القصر", "عدد من
        # المسؤولين": a preposition inside the party; "أشار مسؤول إلى أن": the speech after it.
        allowed = (form == "الي" and (first in TITLES_WITH_TO or described) and next_form not in THAT) or (
            form == "من" and described
        )
        after_outlet = bool(party) and folded(party[-1]) in OUTLET_WORDS  # "وكالة الأنباء"
        if (form in PARTY_STOP_WORDS and not allowed) or _is_told(word, form):
            break
        if form in OBJECT_NOUNS and not after_outlet:
            break
        if tells and party and form in OUTLET_WORDS:
            break  # "أبلغ مصدر برلماني وكالة تليسكوب": the agency was told
        if not party and form.startswith(("بال", "لل", "وال")):
            break  # "رحبت بالقرار": an object, not a party
        if (
            form == "في"
            and read + 1 < len(following)
            and folded(following[read + 1]).removeprefix("ال") in OCCASION_WORDS
        ):
            break
        party.append(word)
        read += 1
        if raw[-1] in PUNCTUATION or len(party) >= MAX_PARTY_WORDS:
            break
    if party and read < len(following) and following[read - 1].endswith(tuple(CLAUSE_END)):
        apposition = _apposition(following[read:])
        if apposition:
            return [*party, *(bare(w) for w in apposition)], read + len(apposition), True
    return party, read, False


MAX_APPOSITION_WORDS = 6


def _apposition(words: list[str]) -> list[str]:
    """The piece after a party's comma when it is a name or a title set apart ("، فراس العلي،")."""
    piece: list[str] = []
    for raw in words:
        piece.append(raw)
        if raw.endswith(tuple(PUNCTUATION)):
            break
    forms = [folded(w) for w in piece]
    if not piece or len(piece) > MAX_APPOSITION_WORDS or not piece[-1].endswith(tuple(CLAUSE_END + ".")):
        return []
    if piece[-1].endswith(tuple(CLAUSE_END)) and len(piece) > 3:
        return []  # a longer piece followed by more of the sentence is a clause of its own
    if forms[0] in PREPOSITIONS or _is_adverb(forms[0]) or any(f in PARTY_STOP_WORDS for f in forms):
        return []
    if any(is_speech_verb(w) for w in piece):
        return []
    return piece


def _after_reported(following: list[str]) -> tuple[list[str], int]:
    """The words after "بحسب"/"وفقاً لـ"/"نقلاً عن" from the party on, and how many were skipped
    to reach it: "ما", a verb and its pronoun ("بحسب ما أفاد به"), a separate "لـ"/"عن", and a
    document noun with its issuer ("لبيان صادر عن")."""
    words, skipped = list(following), 0
    while words:
        form = folded(words[0])
        if (
            form in {"ما", "لما", "به", "بها", "عن", "ل", "لـ", "الي"}
            or is_speech_verb(words[0])
            or _is_verb_with_object(form)
        ):
            words, skipped = words[1:], skipped + 1
            continue
        break
    if not words:
        return [], skipped
    # "لوزارة" / "لـوزارة": the preposition joined to the party.
    first = bare(words[0])
    if first.startswith("لـ"):
        first = first[2:]
    elif folded(first).startswith("لل"):
        first = "ال" + first[2:]
    elif folded(first).startswith("ل") and len(first) > 3:
        first = first[1:]
    words = [first + words[0][len(bare(words[0])) :] if words[0].endswith(tuple(PUNCTUATION)) else first, *words[1:]]
    if folded(words[0]).removeprefix("ال") in DOCUMENT_NOUNS:
        if folded(words[0]) == "مصادر":
            return words, skipped  # "بحسب مصادر مطلعة": the sources are the party
        if words[0].endswith(tuple(CLAUSE_END)):
            return [], skipped
        rest, marked = words[1:], False
        while rest and folded(rest[0]) in ISSUED_BY:
            rest, marked = rest[1:], True
        if rest and not marked and folded(rest[0]).startswith("ل") and folded(rest[0]) not in TITLE_WORDS:
            rest, marked = [bare(rest[0])[1:], *rest[1:]], True
        # "تقديرات البنك الدولي" names its issuer; "تقارير محلية" names nobody.
        found = rest if rest and (marked or folded(rest[0]).startswith("ال") or folded(rest[0]) in TITLE_WORDS) else []
        return found, skipped + len(words) - len(rest)
    return words, skipped


def _is_verb_with_object(form: str) -> bool:
    """ "ذكرته", "أوردته", "نقلته": a verb with its object pronoun, after "ما"."""
    return any(form.startswith(verb) and form[len(verb) :] in {"ه", "ته", "تها", "ها"} for verb in SPEECH_VERBS)


def _subject_before(words: list[str]) -> tuple[list[str], bool]:
    """The noun phrase before a verb that has none after it ("وزير الخارجية، فلان، قال"), and
    whether it held an apposition. Read back from the verb, one comma-separated piece at a time."""
    pieces: list[list[str]] = [[]]
    for raw in words:
        pieces[-1].append(raw)
        if raw.endswith(tuple(CLAUSE_END)):
            pieces.append([])
    pieces = [piece for piece in pieces if piece]
    subject: list[list[str]] = []
    for piece in reversed(pieces):
        forms = [folded(w) for w in piece]
        if not forms:
            continue
        if forms[0] in {"الذي", "التي", "الذين"}:
            continue  # a relative clause inside the apposition
        if (
            set(forms) & DISCOURSE
            or forms[0] in PREPOSITIONS
            or any(f in PARTY_STOP_WORDS or is_speech_verb(w) for f, w in zip(forms, piece, strict=True))
        ):
            break
        if sum(len(p) for p in subject) + len(piece) > MAX_SUBJECT_WORDS:
            break
        subject.insert(0, piece)
        if len(subject) == 3:
            break
    words = [bare(w) for piece in subject for w in piece]
    # "وكانت الوزارة قد أعلنت": the subject sits between كان and قد.
    while words and folded(words[0]) in AUXILIARIES:
        words = words[1:]
    while words and folded(words[-1]) in AUXILIARIES:
        words = words[:-1]
    if any(folded(w) in AUXILIARIES for w in words):
        return [], False
    if words and folded(words[0]).startswith("و") and folded(words[0])[1:] in TITLE_WORDS | UNNAMED_NOUNS:
        words[0] = words[0][1:]
    return [w for w in words if w], len(subject) > 1


def is_unnamed(party: str) -> bool:
    """ "أربعة مسؤولين سوريين", "ضابط سوري كبير", "صائغ في سوق الحميدية", "مديرة إحدى المدارس": a
    person or group described without a name or a title."""
    words = [normalize(w) for w in party.split()]
    while words and words[0] in COUNTING_WORDS:
        words = words[1:]
    if not words:
        return False
    if len(words) > 1 and words[1] in {"احد", "احدي"}:
        return True  # "one of the schools": whoever it is, the story does not say
    if words[0] in UNNAMED_NOUNS:
        # "مسؤول العلاقات العامة": a noun joined to a definite one is a title, not a description
        # ("تجار التقتهم": a verb after the noun is not).
        return len(words) == 1 or not words[1].startswith("ال") or words[1].endswith(("هم", "ها"))
    # "صائغ في سوق الحميدية", "نائب في اللجنة المالية", "سائق سيارة أجرة في دمشق": indefinite
    # words, then where the person is.
    place = next((i for i, w in enumerate(words) if w in {"في", "من", "لدي"}), None)
    if place is None or not 0 < place <= 3 or place == len(words) - 1 or words[0] in OUTLET_WORDS:
        return False
    return not any(w.startswith("ال") or w.casefold() in OUTLET_WORDS for w in words[:place])


def _kind(party: str, anonymous: bool) -> str:
    first = folded(party.split()[0]) if party.split() else ""
    if first in OUTLET_WORDS:
        return Source.Kind.AGENCY
    if anonymous or first in PERSON_WORDS:
        return Source.Kind.PERSON
    return Source.Kind.ORGANISATION


def _judge(party: str, how: Reason, registry: Registry, anonymity: str) -> AttributionProposal:
    """The proposal for one reading, with the reasons for and against it and their sum."""
    words = party.split()
    first = folded(words[0])
    reasons = [how]
    anonymous = is_unnamed(party)
    source, whole = registry.source_named(party)
    if anonymous and source is not None and not whole:
        # An unnamed official is not the organisation whose name shares a word with the description.
        source = None
    if source is not None:
        reasons.append(Reason("registry_exact" if whole else "registry_partial", source.name_ar))
    if anonymous:
        reasons.append(Reason("unnamed", bare(words[0])))
    elif first in TITLE_WORDS or first.removeprefix("ال") in TITLE_WORDS or first in UNNAMED_NOUNS:
        reasons.append(Reason("title", bare(words[0])))
    if anonymity:
        reasons.append(Reason("asked_anonymity", anonymity))
    if first in TIME_OR_PLACE:
        reasons.append(Reason("time_or_place", words[0]))
    elif first in FIRST_PERSON or (len(first) > 3 and first.endswith("ت") and first.startswith("ل")):
        reasons.append(Reason("first_person", words[0]))
    elif first in PREPOSITIONS:
        reasons.append(Reason("preposition", words[0]))
    if first in NOT_AGENTS:
        reasons.append(Reason("not_an_agent", words[0]))
    if len(words) > LONG_PARTY_WORDS:
        reasons.append(Reason("long", str(len(words))))
    anonymous = anonymous or bool(anonymity)
    return AttributionProposal(
        description=party,
        source=source,
        new_source_name="" if source else party,
        is_anonymous=anonymous,
        reasons=reasons,
        confidence=_confidence(reasons),
        kind=source.kind if source else _kind(party, anonymous),
    )


def _confidence(reasons: list[Reason]) -> float:
    return round(min(1.0, max(0.0, sum(WEIGHTS[reason.code] for reason in reasons))), 2)


def _looks_nominal(word: str) -> bool:
    form = folded(word)
    return form.startswith("ال") or form in TITLE_WORDS or form in UNNAMED_NOUNS or form in OUTLET_WORDS


_COLON_PARTY = re.compile(r"^(?P<party>[^:«»“”\"]{2,60}?)\s*:\s+\S")
MAX_COLON_PARTY_WORDS = 5


def _readings(sentence: str) -> list[tuple[str | None, Reason]]:
    """Every (party, how it was read) in one sentence, in order; party None means "the party last
    named speaks again" ("وأضاف أن …")."""
    words = sentence.split()
    found: list[tuple[str | None, Reason]] = []
    # "الرئاسة اللبنانية: الرئيس يدعو …": an urgent line opens with its source and a colon.
    colon = _COLON_PARTY.match(sentence)
    if colon and len(colon["party"].split()) <= MAX_COLON_PARTY_WORDS:
        head = folded(colon["party"].split()[0])
        if head in TITLE_WORDS or head.removeprefix("ال") in TITLE_WORDS:
            found.append((colon["party"].strip(), Reason("colon", colon["party"].strip())))
    index = 0
    while index < len(words):
        raw = words[index]
        form = folded(raw)
        following = words[index + 1 :]
        previous = words[index - 1] if index else ""
        if form in REPORTED or (form, folded(following[0]) if following else "") == ON_THE_TONGUE:
            skip = 1 if form in REPORTED else 2
            after, skipped = _after_reported(words[index + skip :])
            party, read, apposition = _party_after(after)
            if party:
                found.append((" ".join(party), Reason("reported", bare(raw))))
                if apposition:
                    found.append((None, Reason("apposition")))
            index += skip + skipped + read
            continue
        if not is_speech_verb(raw, previous, following):
            index += 1
            continue
        # "الدفاع المدني السوري يعلن إخماد …": a noun phrase just before the verb is its subject,
        # and what follows is the object.
        if index and not previous.endswith(tuple(CLAUSE_END)):
            subject, _apposition = _subject_before(words[:index])
            if subject and _looks_nominal(subject[0]):
                found.append((" ".join(subject), Reason("subject_first", bare(raw))))
                index += 1
                continue
        tells = folded(raw).lstrip("وف").startswith(("ابلغ", "اخبر"))
        party, read, apposition = _party_after(following, tells=tells)
        rest = following[read:]
        relays = folded(raw).lstrip("وف").startswith("نقل")
        if relays and not (rest and folded(rest[0]) == "عن"):
            index += 1  # "نقلت سيارات الإسعاف المصابين": carried, not quoted
            continue
        if party:
            found.append((" ".join(party), Reason("verb_first", bare(raw))))
            if apposition:
                found.append((None, Reason("apposition")))
            # "نقلت صحيفة الوطن عن مسؤول …": the outlet, then its own source.
            if relays:
                second, more, _apposition = _party_after(rest[1:])
                if second:
                    found.append((" ".join(second), Reason("relayed", bare(raw))))
                read += 1 + more
        else:
            subject, apposition = _subject_before(words[:index])
            if subject:
                found.append((" ".join(subject), Reason("subject_first", bare(raw))))
                if apposition:
                    found.append((None, Reason("apposition")))
            else:
                found.append((None, Reason("verb_first", bare(raw))))
        index += 1 + read
    return found


def find_attributions(paragraphs: list[str], registry: Registry) -> list[AttributionProposal]:
    """Every party the paragraphs cite, merged when the story names it again, in order of
    appearance; readings below MIN_CONFIDENCE are dropped."""
    found: list[AttributionProposal] = []
    last: AttributionProposal | None = None
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            match = ANONYMITY.search(normalize(sentence))
            anonymity = match.group() if match else ""
            for party, how in _readings(sentence):
                if how.code == "apposition":
                    if last is not None and how not in last.reasons:
                        last.reasons.append(how)
                        last.confidence = _confidence(last.reasons)
                    continue
                spoken_of = _spoken_of_again(party, found, last)
                if spoken_of is not None or party is None:
                    # "وبيّن أن…", "وأشار المسؤول إلى…", "وقالت الهيئة": a party named before.
                    if spoken_of is not None and sentence not in spoken_of.sentences:
                        spoken_of.sentences.append(sentence)
                    if spoken_of is not None:
                        last = spoken_of
                    continue
                party = _known_prefix(party, found)
                proposal = _judge(party, how, registry, anonymity)
                earlier = _same_party(proposal, found)
                if earlier is not None:
                    if Reason("named_earlier") not in earlier.reasons:
                        earlier.reasons.append(Reason("named_earlier"))
                        earlier.confidence = _confidence(earlier.reasons)
                    earlier.is_anonymous = earlier.is_anonymous or proposal.is_anonymous
                    proposal = earlier
                elif proposal.confidence >= MIN_CONFIDENCE:
                    found.append(proposal)
                else:
                    continue
                if sentence not in proposal.sentences:
                    proposal.sentences.append(sentence)
                last = proposal
    return found


def _spoken_of_again(
    party: str | None, found: list[AttributionProposal], last: AttributionProposal | None
) -> AttributionProposal | None:
    """The earlier party a pronoun-like mention stands for: none named ("وأضاف أن"), a definite
    title ("المسؤول", "الوزير") or the head of an earlier party ("الهيئة" for "هيئة المنافذ")."""
    if party is None:
        return last
    words = party.split()
    if len(words) != 1 or not folded(words[0]).startswith("ال"):
        return None
    head = folded(words[0])
    for earlier in reversed(found):
        first = folded(earlier.description.split()[0])
        if head in (first, "ال" + first) or head.removeprefix("ال") == first.removeprefix("ال"):
            return earlier
    return last if head in BACK_REFERENCES else None


def _known_prefix(party: str, found: list[AttributionProposal]) -> str:
    """ "الحسيني الأطراف" after "… كريم الحسيني": the name, without the object that follows it.
    Only a name cuts, and a name ends an earlier party ("مسؤول" is a word many parties share)."""
    words = party.split()
    if any(name_words(party) <= name_words(earlier.description) for earlier in found):
        return party
    endings = {folded(earlier.description.split()[-1]) for earlier in found}
    for end in range(len(words) - 1, 0, -1):
        key = name_words(" ".join(words[:end]))
        if folded(words[end - 1]) in endings and any(key <= name_words(e.description) for e in found):
            return " ".join(words[:end])
    return party


def _same_party(proposal: AttributionProposal, found: list[AttributionProposal]) -> AttributionProposal | None:
    """The earlier proposal for the same party: the same source, the same words, or (for a named
    party) fewer of the earlier one's words ("فيدان" after "وزير الخارجية هاكان فيدان")."""
    key = name_words(proposal.description)
    for earlier in found:
        if proposal.source is not None and earlier.source == proposal.source:
            return earlier
        earlier_key = name_words(earlier.description)
        if key == earlier_key:
            return earlier
        # A short later mention keeps the name, which opens or ends the earlier party ("… هاكان فيدان",
        # "ريم الخوري، المتحدثة …"); "الفرنسية" inside a title names nobody.
        edges = earlier.description.split()
        edges = {folded(w) for w in edges[:2] + edges[-2:]}
        later = proposal.description.split()
        named = len(later) <= 2 and any(folded(w) in edges for w in later)
        if not proposal.is_anonymous and not earlier.is_anonymous and key and key < earlier_key and named:
            return earlier
    return None
