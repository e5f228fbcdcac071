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
from .matching import Registry, folded_words, name_words
from .proposal import AttributionProposal, Reason

# Past and present forms, normalised; "و"/"ف" before them and the feminine or plural ending are
# allowed by _VERB.
_SPEECH_VERBS_TEXT = (
    "قال اكد صرح افاد اشار اعلن اوضح ذكر كشف نقل بين اضاف تابع شدد لفت نفي حذر اعتبر راي زعم ادعي "
    "دعا وصف علق اتهم رجح توقع اعرب استبعد اقر اعترف ابلغ اخبر نوه اورد"
)
SPEECH_VERBS = _SPEECH_VERBS_TEXT.split()
_PRESENT_VERBS_TEXT = "يقول تقول يضيف تضيف يءكد تءكد يري تري يوضح توضح يشير تشير"
PRESENT_VERBS = _PRESENT_VERBS_TEXT.split()
_VERB = re.compile(r"^[وف]?(?:{})(?:ت|وا|تا|ا)?$".format("|".join(SPEECH_VERBS)))
_PRESENT = re.compile(r"^[وف]?(?:{})$".format("|".join(PRESENT_VERBS)))
# "بحسب", "حسبما", "وفقا لـ", "طبقا لـ", "نقلا عن", "على لسان": the party follows.
_REPORTED = {
    normalize(w): w for w in ("بحسب", "حسب", "حسبما", "وبحسب", "وحسب", "وفقا", "ووفقا", "وفق", "طبقا", "نقلا", "ونقلا")
}
_ON_THE_TONGUE = ("علي", "لسان")  # "على لسان" after normalising ى
PUNCTUATION = '،,.:؛;!؟?“”«»"()'
_CLAUSE_END = "،,:؛;"
# Where a party named after its verb ends: the reported speech, a preposition, a time.
_PARTY_STOP_WORDS = folded_words(
    "أن إن بأن أنه إنه بأنه أنها بأنها أنهم بأنهم إلى عن يوم اليوم أمس مساء صباح خلال أثناء لدى عبر عقب "
    "بعد قبل على السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة أيضا كذلك بدوره بدورها الذي التي "
    "الذين حين عندما بينما فيما لكن إنه ما"
)
# "في بيان", "في مؤتمر صحفي", "في وقت سابق": the occasion, not part of the party.
_OCCASION_WORDS = folded_words(
    "بيان تصريح تصريحات حديث مؤتمر مقابلة كلمة لقاء تغريدة منشور رسالة اتصال ختام أعقاب وقت ساعة "
    "ساعات جلسة اجتماع إيجاز ندوة خطاب"
)
# "لـ«تليسكوب»", "للصحفيين", "لوكالة": who was told, not who spoke.
_TOLD_PREFIXES = tuple(normalize(w) for w in ("لـ", "للصحفيين", "للصحافيين", "لوكالة", "لصحيفة", "لقناة", "لموقع"))
MAX_PARTY_WORDS = 10
# Nouns that describe a person or group without naming them.
UNNAMED_NOUNS = folded_words(
    "مسؤول مسؤولة مسؤولين مسؤولون ضابط ضباط مصدر مصادر دبلوماسي دبلوماسيين دبلوماسيون شاهد شهود "
    "عضو أعضاء مستشار موظف موظفين عنصر عناصر قيادي قياديين خبير خبراء ناشط ناشطين ناشطون مقاتل "
    "مقاتلين سكان مراقبين مراقبون محلل محللين مسعف مسعفون مسعفين طبيب أطباء مواطن مواطنون مواطنين "
    "عامل عاملون عمال تاجر تجار مقرب مقربون"
)
_COUNTING_WORDS = folded_words("أحد إحدى بعض عدد عدة من اثنان اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة")
# A party that opens with one of these is a title or a body: the usual shape of a source.
TITLE_WORDS = folded_words(
    "وزير وزيرة وزارة الوزير الوزارة رئيس رئيسة الرئيس الرئاسة نائب المتحدث متحدث الناطق ناطق "
    "مدير مديرة المدير سفير السفير قائد القائد زعيم الأمين أمين محافظ المحافظ حاكم الحاكم ممثل "
    "الممثل المبعوث مبعوث الجيش القوات الحكومة حكومة الشرطة الدفاع الخارجية الداخلية الأمم "
    "منظمة المنظمة مفوضية المفوضية مجلس المجلس لجنة اللجنة هيئة الهيئة مكتب المكتب البنك المصرف "
    "مصرف الكرملين البيت البنتاغون الخارجية وكالة الوكالة صحيفة الصحيفة قناة القناة تلفزيون "
    "التلفزيون إذاعة موقع الموقع جمعية الجمعية اتحاد الاتحاد نقابة النقابة شركة الشركة جامعة "
    "الجامعة مستشفى المستشفى مديرية المديرية إدارة الإدارة المرصد مرصد الدفاع الهلال الصليب "
    "الجامعة البرلمان برلمان النائب المعارضة الحزب حزب حركة الحركة الفصائل المنسق منسق المتحدثة"
)
OUTLET_WORDS = folded_words("وكالة الوكالة صحيفة الصحيفة قناة القناة تلفزيون التلفزيون إذاعة موقع الموقع")
PERSON_WORDS = folded_words(
    "وزير وزيرة الوزير رئيس رئيسة الرئيس نائب المتحدث متحدث الناطق ناطق مدير مديرة المدير سفير "
    "السفير قائد القائد زعيم الأمين أمين محافظ المحافظ حاكم الحاكم ممثل الممثل المبعوث مبعوث "
    "النائب المنسق منسق المتحدثة"
)
# Words a party never opens with: times and circumstances, speech itself, things and events.
_TIME_OR_PLACE = folded_words(
    "في وقت سابق لاحق لاحقا اليوم أمس غدا صباح مساء ليل بعد قبل خلال منذ حين عند هنا هناك حاليا أيضا كذلك مجددا مرة"
)
_FIRST_PERSON = folded_words(
    "لقد قد إننا إنني نحن أنا هو هي هم أننا لن لم لا سوف كان كانت كانوا تم يتم ليس ليست هذا هذه ذلك تلك عملت قلت كنت"
)
_PREPOSITIONS = folded_words("في من على إلى عن مع ب ل حول ضد نحو")
_NOT_AGENTS = folded_words(
    "محاكمة المحاكمة القانون قانون الدستور دستور الاتفاق اتفاق الاتفاقية الخطة خطة القرار قرار "
    "الوضع الأمر الحرب الأزمة الأرقام الإحصاءات البيانات المعلومات التقديرات النتائج الدراسة "
    "التقرير تقرير صور الصور الكاميرات أرقام إحصاءات تقديرات معلومات بيانات نتائج دراسة الخطوة "
    "الأسعار العملية الحادثة الانفجار الزلزال"
)
# Document nouns after "بحسب"/"وفقاً لـ": the party is whoever issued them ("وفقاً لبيان صادر عن
# وزارة الصحة", "بحسب تقديرات البنك الدولي").
_DOCUMENT_NOUNS = folded_words(
    "بيان تقرير تقارير تقديرات إحصاءات أرقام بيانات معلومات دراسة نتائج وثيقة تصريحات رسالة مصادر صور"
)
_ISSUED_BY = folded_words("صادر صادرة الصادر الصادرة عن ل")
# "طلب عدم ذكر اسمه", "فضّل عدم الكشف عن هويته", "شريطة عدم نشر اسمه", "رفض الكشف عن اسمه".
_ANONYMITY = re.compile(r"(?:عدم|رفض|رفضت|دون|يشا|تشا) (?:ذكر|الكشف عن|كشف|نشر|الافصاح عن) (?:اسم|هويت|هوي)")
# The definite titles a story uses to speak again of someone it has named ("وأشار المسؤول…").
_BACK_REFERENCES = folded_words(
    "المسؤول المسؤولة الضابط المصدر الوزير الوزيرة الرئيس المتحدث المتحدثة السفير المبعوث القائد "
    "المدير المحافظ الناطق الدبلوماسي الخبير المستشار النائب"
)
# Phrases that open a clause before its verb ("من جهته، قال …"): not part of a party before a verb.
_DISCOURSE = folded_words("من جهته جهتها جانبه جانبها بدوره بدورها المقابل سياق متصل ذلك وفي وقت")
MAX_SUBJECT_WORDS = 10

# How much each reason adds to (or takes from) the confidence of an attribution.
WEIGHTS = {
    "verb_first": 0.6,
    "subject_first": 0.55,
    "reported": 0.55,
    "relayed": 0.55,
    "apposition": 0.05,
    "registry_exact": 0.3,
    "registry_partial": 0.15,
    "named_earlier": 0.1,
    "title": 0.2,
    "unnamed": 0.2,
    "asked_anonymity": 0.1,
    "time_or_place": -0.6,
    "first_person": -0.6,
    "preposition": -0.5,
    "not_an_agent": -0.45,
    "long": -0.15,
}
# Below this a reading is not proposed at all; below PROPOSE_AT it is shown but left out by default.
MIN_CONFIDENCE = 0.3
PROPOSE_AT = 0.5
LONG_PARTY_WORDS = 7


def bare(word: str) -> str:
    return word.strip(PUNCTUATION + "ـ")


def folded(word: str) -> str:
    return normalize(bare(word)).casefold()


def is_speech_verb(word: str, previous: str = "", following: list[str] | None = None) -> bool:
    form = folded(word)
    if not (_VERB.match(form) or _PRESENT.match(form)):
        return False
    stem = form.lstrip("وف") if len(form) > 3 else form
    # "عدم ذكر اسمه": the noun "mentioning", not the verb "mentioned".
    if folded(previous) in {"عدم", "دون"}:
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


def _party_after(following: list[str]) -> tuple[list[str], int]:
    """The words naming the party after a verb or a reported-speech word, and how many tokens were
    read (so a second party after "عن" can be looked for)."""
    party: list[str] = []
    read = 0
    for raw in following:
        word = bare(raw)
        form = normalize(word).casefold()
        if not word or form in _PARTY_STOP_WORDS or raw[0] in PUNCTUATION:
            break
        if form.startswith(_TOLD_PREFIXES) or (party and form.startswith("لل")):
            break
        if (
            form == "في"
            and read + 1 < len(following)
            and folded(following[read + 1]).removeprefix("ال") in _OCCASION_WORDS
        ):
            break
        party.append(word)
        read += 1
        if raw[-1] in PUNCTUATION or len(party) >= MAX_PARTY_WORDS:
            break
    return party, read


def _after_reported(following: list[str]) -> list[str]:
    """The party after "بحسب"/"وفقاً لـ"/"نقلاً عن": skips "ما", a verb and its pronoun ("بحسب ما
    أفاد به"), a separate "لـ"/"عن", and a document noun with its issuer ("لبيان صادر عن")."""
    words = list(following)
    while words:
        form = folded(words[0])
        if (
            form in {"ما", "لما", "به", "بها", "عن", "ل", "لـ", "الي"}
            or is_speech_verb(words[0])
            or _is_verb_with_object(form)
        ):
            words = words[1:]
            continue
        break
    if not words:
        return []
    # "لوزارة" / "لـوزارة": the preposition joined to the party.
    first = bare(words[0])
    if first.startswith("لـ"):
        first = first[2:]
    elif folded(first).startswith("لل"):
        first = "ال" + first[2:]
    elif folded(first).startswith("ل") and len(first) > 3:
        first = first[1:]
    words = [first + words[0][len(bare(words[0])) :] if words[0].endswith(tuple(PUNCTUATION)) else first, *words[1:]]
    if folded(words[0]).removeprefix("ال") in _DOCUMENT_NOUNS:
        if folded(words[0]) == "مصادر":
            return words  # "بحسب مصادر مطلعة": the sources are the party
        if words[0].endswith(tuple(_CLAUSE_END)):
            return []
        rest, marked = words[1:], False
        while rest and folded(rest[0]) in _ISSUED_BY:
            rest, marked = rest[1:], True
        if rest and not marked and folded(rest[0]).startswith("ل") and folded(rest[0]) not in TITLE_WORDS:
            rest, marked = [bare(rest[0])[1:], *rest[1:]], True
        # "تقديرات البنك الدولي" names its issuer; "تقارير محلية" names nobody.
        return rest if rest and (marked or folded(rest[0]).startswith("ال")) else []
    return words


def _is_verb_with_object(form: str) -> bool:
    """ "ذكرته", "أوردته", "نقلته": a verb with its object pronoun, after "ما"."""
    return any(form.startswith(verb) and form[len(verb) :] in {"ه", "ته", "تها", "ها"} for verb in SPEECH_VERBS)


def _subject_before(words: list[str]) -> tuple[list[str], bool]:
    """The noun phrase before a verb that has none after it ("وزير الخارجية، فلان، قال"), and
    whether it held an apposition. Read back from the verb, one comma-separated piece at a time."""
    pieces: list[list[str]] = [[]]
    for raw in words:
        pieces[-1].append(raw)
        if raw.endswith(tuple(_CLAUSE_END)):
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
            set(forms) & _DISCOURSE
            or forms[0] in _PREPOSITIONS
            or any(f in _PARTY_STOP_WORDS or is_speech_verb(w) for f, w in zip(forms, piece, strict=True))
        ):
            break
        if sum(len(p) for p in subject) + len(piece) > MAX_SUBJECT_WORDS:
            break
        subject.insert(0, piece)
        if len(subject) == 3:
            break
    words = [bare(w) for piece in subject for w in piece]
    if words and folded(words[0]).startswith("و") and folded(words[0])[1:] in TITLE_WORDS | UNNAMED_NOUNS:
        words[0] = words[0][1:]
    return [w for w in words if w], len(subject) > 1


def is_unnamed(party: str) -> bool:
    """ "أربعة مسؤولين سوريين", "ضابط سوري كبير": an indefinite noun for a person, not a name or title."""
    words = [normalize(w) for w in party.split()]
    while words and words[0] in _COUNTING_WORDS:
        words = words[1:]
    if not words or words[0] not in UNNAMED_NOUNS:
        return False
    # "مسؤول العلاقات العامة": a noun joined to a definite one is a title, not a description.
    return len(words) == 1 or not words[1].startswith("ال")


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
    if first in _TIME_OR_PLACE:
        reasons.append(Reason("time_or_place", words[0]))
    elif first in _FIRST_PERSON or (len(first) > 3 and first.endswith("ت") and first.startswith("ل")):
        reasons.append(Reason("first_person", words[0]))
    elif first in _PREPOSITIONS:
        reasons.append(Reason("preposition", words[0]))
    if first in _NOT_AGENTS:
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


def _readings(sentence: str) -> list[tuple[str | None, Reason]]:
    """Every (party, how it was read) in one sentence, in order; party None means "the party last
    named speaks again" ("وأضاف أن …")."""
    words = sentence.split()
    found: list[tuple[str | None, Reason]] = []
    index = 0
    while index < len(words):
        raw = words[index]
        form = folded(raw)
        following = words[index + 1 :]
        previous = words[index - 1] if index else ""
        if form in _REPORTED or (form, folded(following[0]) if following else "") == _ON_THE_TONGUE:
            skip = 1 if form in _REPORTED else 2
            party = _after_reported(words[index + skip :])
            party, _read = _party_after(party)
            if party:
                found.append((" ".join(party), Reason("reported", bare(raw))))
            index += skip
            continue
        if not is_speech_verb(raw, previous, following):
            index += 1
            continue
        party, read = _party_after(following)
        if party:
            found.append((" ".join(party), Reason("verb_first", bare(raw))))
            rest = following[read:]
            # "نقلت صحيفة الوطن عن مسؤول …": the outlet, then its own source.
            if rest and folded(rest[0]) == "عن" and folded(raw).lstrip("وف").startswith("نقل"):
                second, _read = _party_after(rest[1:])
                if second:
                    found.append((" ".join(second), Reason("relayed", bare(raw))))
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
    """Every party the paragraphs cite, merged when the story names it again, best first in order
    of appearance; readings below MIN_CONFIDENCE are dropped."""
    found: list[AttributionProposal] = []
    last: AttributionProposal | None = None
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            match = _ANONYMITY.search(normalize(sentence))
            anonymity = match.group() if match else ""
            for party, how in _readings(sentence):
                if how.code == "apposition":
                    if last is not None and how not in last.reasons:
                        last.reasons.append(how)
                        last.confidence = _confidence(last.reasons)
                    continue
                if party is None or (folded(party) in _BACK_REFERENCES and last is not None):
                    # "وبيّن أن…", "وأشار المسؤول إلى…": the party last named speaks again.
                    if last is not None and sentence not in last.sentences:
                        last.sentences.append(sentence)
                    continue
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
        if not proposal.is_anonymous and not earlier.is_anonymous and key and key < earlier_key:
            return earlier
    return None
