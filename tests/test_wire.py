"""The wire-copy parser: the sample in the house style, and every kind of bad input."""

import io
from pathlib import Path

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import search, wire
from articles.models import Article, Attribution, Byline, Revision, Source, Status, Tag

from .factories import SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

SAMPLE_PATH = Path(__file__).resolve().parents[1] / "articles" / "demo" / "wire-telescope-russia-withdrawal.txt"
SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")
SUBHEADINGS = [
    "لقاء مع قائد العمليات العسكرية",
    "تصريحات عن الانسحاب الروسي",
    "تحركات ومواقف متباينة",
    "ردود فعل موسكو",
]
LEAD = "على الطريق الدولي الرابط بين اللاذقية ودمشق"
SHORT = (
    "{header} أعلن الكرملين أن النقاشات مع السلطات السورية مستمرة.\n"
    "عنوان فرعي قصير\n"
    "وأكد مسؤول كبير في المعارضة أن القرار للشعب السوري.\n"
)


@pytest.fixture
def registry(db):
    """The sources and tags the newsroom already has, as in the demo."""
    sources = {
        "telescope": SourceFactory(name_ar="وكالة تليسكوب الإخبارية", name_en="Telescope News Agency", kind="agency"),
        "kremlin": SourceFactory(name_ar="الكرملين", name_en="The Kremlin"),
        "sharaa": SourceFactory(name_ar="أحمد الشرع", name_en="Ahmed al-Sharaa", kind="person"),
        "command": SourceFactory(name_ar="إدارة العمليات العسكرية", name_en="Military Operations Command"),
        "opposition": SourceFactory(name_ar="مسؤول في المعارضة السورية", name_en="Opposition official", kind="person"),
    }
    for name in ["روسيا", "سوريا", "حميميم", "طرطوس", "الكرملين", "أحمد الشرع", "كرة القدم"]:
        Tag.objects.create(name=name, slug=name.replace(" ", "-"))
    return sources


def by_description(proposal):
    return {item.description: item for item in proposal.attributions}


# --- The sample -------------------------------------------------------------------------------


def test_sample_credit_is_the_agency_and_is_not_left_in_the_body(registry):
    proposal = wire.parse(SAMPLE)
    assert proposal.credit.name == "وكالة تليسكوب الإخبارية"
    assert proposal.credit.source == registry["telescope"]
    assert proposal.body_html.startswith(f"<p>{LEAD}")
    assert "تليسكوب" not in proposal.body_html


def test_sample_credit_is_proposed_as_a_new_source_when_the_registry_lacks_it(db):
    proposal = wire.parse(SAMPLE)
    assert proposal.credit.name == "وكالة تليسكوب الإخبارية"
    assert proposal.credit.source is None


def test_sample_has_exactly_the_four_subheadings_and_ten_paragraphs(registry):
    proposal = wire.parse(SAMPLE)
    assert proposal.subheadings == SUBHEADINGS
    assert len(proposal.paragraphs) == 10
    assert proposal.body_html.count("<h2>") == 4
    assert proposal.body_html.count("<p>") == 10
    for heading in SUBHEADINGS:
        assert f"<h2>{heading}</h2>" in proposal.body_html


def test_sample_headline_and_summary_come_from_the_lead(registry):
    proposal = wire.parse(SAMPLE)
    assert proposal.headline == "رصدت الكاميرات رتلاً من الدبابات الروسية تتحرك عكس الاتجاه المعتاد"
    assert proposal.summary.startswith(LEAD)
    assert proposal.summary.endswith("نحو الساحل السوري.")
    assert proposal.dateline == ""


def test_sample_attributions_name_the_kremlin_and_the_anonymous_officials(registry):
    found = by_description(wire.parse(SAMPLE))
    kremlin = found["الكرملين"]
    assert kremlin.source == registry["kremlin"] and not kremlin.is_anonymous
    for unnamed in ["أربعة مسؤولين سوريين", "ضابط سوري كبير", "مسؤول كبير في المعارضة السورية"]:
        assert found[unnamed].is_anonymous, unnamed
    assert found["أربعة مسؤولين سوريين"].source is None
    assert found["أربعة مسؤولين سوريين"].new_source_name == "أربعة مسؤولين سوريين"
    assert found["مسؤول كبير في المعارضة السورية"].source == registry["opposition"]


def test_sample_named_parties_match_existing_sources(registry):
    found = by_description(wire.parse(SAMPLE))
    assert found["الشرع"].source == registry["sharaa"]
    spokesman = found["مسؤول العلاقات العامة في إدارة العمليات العسكرية"]
    assert spokesman.source == registry["command"] and not spokesman.is_anonymous


def test_a_party_spoken_of_again_collects_its_later_sentences(registry):
    sharaa = by_description(wire.parse(SAMPLE))["الشرع"]
    # "وبيّن أن روسيا…" names nobody: it is al-Sharaa speaking again.
    assert any(sentence.startswith("وبيّن أن روسيا") for sentence in sharaa.sentences)
    assert len(sharaa.sentences) == 3


def test_between_is_not_the_verb_explained(registry):
    proposal = wire.parse(SAMPLE)
    sentences = [s for item in proposal.attributions for s in item.sentences]
    assert not any(s.startswith(LEAD) for s in sentences)


def test_sample_tags_are_the_existing_tags_found_in_the_text(registry):
    tags = wire.parse(SAMPLE).tags
    # "بطرطوس" is طرطوس after the preposition ب.
    assert set(tags) == {"روسيا", "سوريا", "حميميم", "طرطوس", "الكرملين", "أحمد الشرع"}
    assert "كرة القدم" not in tags


def test_the_sample_needs_no_typographic_clean_up(registry):
    assert wire.parse(SAMPLE).cleanup == []


def test_the_english_sample_parses_the_same_way(registry):
    english = SAMPLE_PATH.with_suffix(".en.txt").read_text(encoding="utf-8")
    proposal = wire.parse(english)
    assert proposal.credit.source == registry["telescope"]
    assert len(proposal.subheadings) == 4 and len(proposal.paragraphs) == 10


# --- Verbs, parties and tags written differently ----------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "صَرَّحَ الكرملين بأن الوضع مستقر.",
        "وأكّدت الكرملين أن الوضع مستقر.",
        "وقال الكرملين في بيان إن الوضع مستقر.",
        "كما أوضح الكرملين أن الوضع مستقر.",
        "وبيَّن الكرملين أن الوضع مستقر.",
        "فذكر الكرملين يوم السبت أن الوضع مستقر.",
    ],
)
def test_attribution_verbs_are_found_with_diacritics_shadda_and_prefixes(registry, sentence):
    proposal = wire.parse(f"وكالة تليسكوب الإخبارية – خبر أول طويل بما يكفي ليكون فقرة.\n{sentence}")
    assert [item.description for item in proposal.attributions] == ["الكرملين"]


def test_quoting_is_not_a_party_speaking(registry):
    proposal = wire.parse("أعلن الكرملين أن الوضع مستقر.\nوتراجعت الأسعار، نقلًا عن تقارير محلية.")
    (kremlin,) = proposal.attributions
    assert kremlin.sentences == ["أعلن الكرملين أن الوضع مستقر."]


def test_an_unknown_named_party_is_proposed_as_a_new_named_source(registry):
    proposal = wire.parse("أعلنت وزارة الخارجية التركية أن الوفد سيصل غدًا.")
    (item,) = proposal.attributions
    assert item.description == "وزارة الخارجية التركية"
    assert item.source is None and item.new_source_name == "وزارة الخارجية التركية"
    assert not item.is_anonymous


def test_tags_match_across_hamza_and_ta_marbuta_spellings(db):
    Tag.objects.create(name="أحمد الشرع", slug="ahmed")
    Tag.objects.create(name="المرحلة الانتقالية", slug="transition")
    proposal = wire.parse("التقى احمد الشرع وفدًا أمس وبحث معه المرحله الانتقاليه في سوريا.")
    assert set(proposal.tags) == {"أحمد الشرع", "المرحلة الانتقالية"}


def test_a_tag_is_not_found_inside_a_longer_word(db):
    Tag.objects.create(name="روس", slug="rus")
    assert wire.parse("بدأت روسيا سحب قواتها من المنطقة.").tags == []


# --- Credits, dashes and datelines ------------------------------------------------------------


@pytest.mark.parametrize("dash", ["–", "-", "—"])
def test_every_dash_style_opens_the_story(registry, dash):
    proposal = wire.parse(SHORT.format(header=f"وكالة تليسكوب الإخبارية {dash}"))
    assert proposal.credit.source == registry["telescope"]
    assert proposal.paragraphs[0].startswith("أعلن الكرملين")
    assert proposal.subheadings == ["عنوان فرعي قصير"]


@pytest.mark.parametrize(
    "header",
    ["دمشق - وكالة تليسكوب الإخبارية –", "دمشق (وكالة تليسكوب) –", "دمشق – (وكالة تليسكوب الإخبارية) -"],
)
def test_a_dateline_before_the_credit_is_proposed_as_the_dateline(registry, header):
    proposal = wire.parse(SHORT.format(header=header))
    assert proposal.dateline == "دمشق"
    assert proposal.credit.source == registry["telescope"]
    assert proposal.paragraphs[0].startswith("أعلن الكرملين")


def test_an_abbreviated_agency_in_parentheses_after_the_dateline(registry):
    proposal = wire.parse(SHORT.format(header="موسكو - (أ ف ب) -"))
    assert proposal.credit.name == "أ ف ب" and proposal.credit.source is None
    assert proposal.dateline == "موسكو"
    assert proposal.paragraphs[0].startswith("أعلن الكرملين")


def test_tags_are_found_after_joined_prepositions(db):
    for name in ["الكرملين", "طرطوس", "روسيا"]:
        Tag.objects.create(name=name, slug=name)
    proposal = wire.parse("نقلت المصادر للكرملين رسالة عن الوضع بطرطوس، وروسيا تراقب.")
    assert set(proposal.tags) == {"الكرملين", "طرطوس", "روسيا"}


def test_an_unknown_outlet_is_proposed_as_a_new_source(registry):
    proposal = wire.parse(SHORT.format(header="بيروت (وكالة الأرز للأنباء) –"))
    assert proposal.credit.name == "وكالة الأرز للأنباء"
    assert proposal.credit.source is None
    assert proposal.dateline == "بيروت"


def test_text_without_a_credit_keeps_its_first_paragraph(registry):
    text = "أعلن الكرملين أن النقاشات مستمرة.\nفقرة ثانية فيها تفاصيل إضافية عن الموضوع."
    proposal = wire.parse(text)
    assert proposal.credit is None
    assert proposal.paragraphs[0] == "أعلن الكرملين أن النقاشات مستمرة."
    assert proposal.headline == "أعلن الكرملين أن النقاشات مستمرة"


def test_a_hyphenated_word_in_the_lead_is_not_a_credit(registry):
    proposal = wire.parse("وصلت طائرة أنتونوف إيه.إن-124 إلى القاعدة صباح اليوم.")
    assert proposal.credit is None


def test_a_credit_on_a_line_of_its_own(registry):
    proposal = wire.parse("وكالة تليسكوب الإخبارية –\nأعلن الكرملين أن النقاشات مستمرة.")
    assert proposal.credit.source == registry["telescope"]
    assert proposal.paragraphs == ["أعلن الكرملين أن النقاشات مستمرة."]


def test_a_credit_with_no_story_after_it_is_refused(registry):
    with pytest.raises(wire.WireError):
        wire.parse("وكالة تليسكوب الإخبارية –")


# --- Typographic clean-up ---------------------------------------------------------------------


def kinds(proposal):
    return {item.kind: item.count for item in proposal.cleanup}


def test_crlf_line_endings_give_the_same_story_and_are_reported(registry):
    proposal = wire.parse(SAMPLE.replace("\n", "\r\n"))
    assert proposal.subheadings == SUBHEADINGS and len(proposal.paragraphs) == 10
    assert kinds(proposal)["line_endings"] == SAMPLE.count("\n")


def test_a_byte_order_mark_is_removed_and_reported(registry):
    proposal = wire.parse("\ufeff" + SAMPLE)
    assert proposal.credit.source == registry["telescope"]
    assert kinds(proposal) == {"bom": 1}


def test_stray_tatweel_latin_commas_and_spacing_are_cleaned_and_reported(db):
    text = 'قـــال   المسؤول,وهو يبتسم , إن "الاتفاق" قريب  \nوأضاف أن „التفاصيل“ لاحقًا.'
    proposal = wire.parse(text)
    assert proposal.paragraphs == [
        'قال المسؤول، وهو يبتسم، إن "الاتفاق" قريب',
        "وأضاف أن „التفاصيل“ لاحقًا.",
    ]
    assert kinds(proposal) == {"tatweel": 3, "latin_commas": 2, "whitespace": 1}
    assert all(str(item.label) for item in proposal.cleanup)


def test_the_agencys_quotation_marks_are_kept(db):
    text = "وقال الوزير: «لن نتراجع عن الاتفاق»، مضيفًا أن “المرحلة المقبلة” صعبة."
    proposal = wire.parse(text)
    assert proposal.paragraphs == [text]
    assert "«لن نتراجع عن الاتفاق»" in proposal.body_html
    assert kinds(proposal) == {}


def test_a_tatweel_that_detaches_a_preposition_is_kept(db):
    proposal = wire.parse("دفع المسؤول بـ 20 دولارًا لـ CNN مقابل المقابلــة.")
    assert proposal.paragraphs == ["دفع المسؤول بـ 20 دولارًا لـ CNN مقابل المقابلة."]
    assert kinds(proposal) == {"tatweel": 2}


def test_a_latin_comma_between_numbers_is_left_alone(db):
    assert wire.parse("بلغ العدد 1,500 شخص في المدينة.").paragraphs == ["بلغ العدد 1,500 شخص في المدينة."]


def test_body_html_is_escaped_and_sanitized(db):
    proposal = wire.parse('قال المسؤول إن <script>alert(1)</script> و<b onclick="x">نص</b> هنا.')
    assert "<script" not in proposal.body_html and "<b " not in proposal.body_html
    assert "&lt;script&gt;" in proposal.body_html  # shown as the text it was, never run


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n", "\ufeff \n"])
def test_empty_or_blank_text_is_refused_with_a_message(db, text):
    with pytest.raises(wire.WireError) as error:
        wire.parse(text)
    assert str(error.value.message)


def test_text_that_is_too_long_is_refused_with_the_limit(db):
    with pytest.raises(wire.WireError) as error:
        wire.parse("كلمة " * (wire.MAX_TEXT_CHARS // 5 + 1))
    assert str(wire.MAX_TEXT_CHARS) in str(error.value.message)


@pytest.mark.parametrize("text", ["x", "عاجل", "وكالة تليسكوب"])
def test_a_word_or_two_is_not_a_story(db, text):
    with pytest.raises(wire.WireError):
        wire.parse(text)


def test_pasted_control_characters_are_refused_as_not_text(db):
    with pytest.raises(wire.WireError):
        wire.parse("\x00\x01\x02\x03\x04\x05\x06\x07" * 20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_gives_a_proposal_or_a_wire_error(db, text):
    try:
        proposal = wire.parse(text)
    except wire.WireError:
        return
    assert proposal.headline.strip()
    assert proposal.paragraphs or proposal.subheadings


# --- Uploads ----------------------------------------------------------------------------------


def test_utf8_upload_with_and_without_bom(registry):
    for data in [SAMPLE.encode("utf-8"), b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")]:
        text, encoding = wire.read_upload(data, "story.txt")
        assert encoding == "UTF-8"
        assert wire.parse(text).subheadings == SUBHEADINGS


def test_a_utf8_bom_upload_reports_the_removed_mark(registry):
    text, _encoding = wire.read_upload(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "story.txt")
    assert kinds(wire.parse(text)) == {"bom": 1}


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_uploads_with_or_without_bom_are_read(registry, codec):
    text, encoding = wire.read_upload(SAMPLE.encode(codec), "story.txt")
    assert encoding == "UTF-16"
    proposal = wire.parse(text)
    assert proposal.credit.source == registry["telescope"] and proposal.subheadings == SUBHEADINGS


@pytest.mark.parametrize("text", [SAMPLE, "دمشق", "وكالة تليسكوب الإخبارية – أعلن الكرملين أن النقاشات مستمرة."])
def test_windows_1256_uploads_are_detected(registry, text):
    decoded, encoding = wire.read_upload(text.encode("cp1256"), "story.txt")
    assert encoding == "Windows-1256"
    assert decoded == text


def test_windows_1256_sample_gives_the_same_proposal(registry):
    text, _encoding = wire.read_upload(SAMPLE.replace("\n", "\r\n").encode("cp1256"), "story.txt")
    proposal = wire.parse(text)
    assert proposal.credit.source == registry["telescope"]
    assert proposal.subheadings == SUBHEADINGS and len(proposal.paragraphs) == 10


def test_binary_garbage_is_refused_as_not_text(db):
    import random

    noise = random.Random(8).randbytes(5000)
    png = b"\x89PNG\r\n\x1a\n" + noise
    for data in [noise, png, bytes(range(256)) * 4]:
        with pytest.raises(wire.WireError) as error:
            wire.read_upload(data, "story.txt")
        assert str(error.value.message)


def test_a_huge_file_is_refused_with_its_size_and_the_limit(db):
    with pytest.raises(wire.WireError) as error:
        wire.read_upload(b"a " * (wire.MAX_UPLOAD_BYTES // 2 + 1), "huge.txt")
    assert "2.0 MB" in str(error.value.message)


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_an_empty_file_is_refused(db, data):
    with pytest.raises(wire.WireError):
        wire.read_upload(data, "empty.txt")


@pytest.mark.parametrize("name", ["story.pdf", "story.doc", "picture.png"])
def test_other_file_types_are_refused(db, name):
    with pytest.raises(wire.WireError):
        wire.read_upload(SAMPLE.encode(), name)


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.strip().split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_uploads_are_read_paragraph_by_paragraph(registry):
    text, encoding = wire.read_upload(docx_bytes(SAMPLE), "story.docx")
    assert encoding == "docx"
    proposal = wire.parse(text)
    assert proposal.credit.source == registry["telescope"]
    assert proposal.subheadings == SUBHEADINGS and len(proposal.paragraphs) == 10


def test_a_broken_docx_is_refused(db):
    with pytest.raises(wire.WireError):
        wire.read_upload(docx_bytes(SAMPLE)[:500], "story.docx")
    with pytest.raises(wire.WireError):
        wire.read_upload(b"not a zip file at all", "story.docx")


# --- create_draft -----------------------------------------------------------------------------


def test_create_draft_makes_a_private_draft_owned_by_the_importer(registry, journalist):
    section = SectionFactory()
    article = wire.create_draft(wire.parse(SAMPLE), by=journalist, section=section)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.created_by == journalist
    assert list(Byline.objects.filter(article=article).values_list("author", flat=True)) == [journalist.pk]
    assert article.credit == registry["telescope"]
    assert article.body_ar.count("<h2>") == 4
    assert article.slug and article.section == section
    assert not Article.objects.public().filter(pk=article.pk).exists()
    revision = Revision.objects.get(article=article)
    assert revision.author == journalist and revision.note
    assert Article.objects.filter(pk=article.pk, search_document__isnull=False).exists()


def test_create_draft_cites_existing_sources_and_keeps_new_ones_waiting_on_the_draft(registry, journalist):
    before = Source.objects.count()
    article = wire.create_draft(wire.parse(SAMPLE), by=journalist, section=SectionFactory())
    assert set(article.tags.names()) == {"روسيا", "سوريا", "حميميم", "طرطوس", "الكرملين", "أحمد الشرع"}
    attributions = {a.description_ar: a for a in article.attributions.select_related("source")}
    assert attributions["الكرملين"].source == registry["kremlin"]
    assert "أربعة مسؤولين سوريين" not in attributions
    # The registry gains nothing: the four officials, the senior officer and "the government"
    # wait on the draft, with the parser's confidence and reasons.
    assert Source.objects.count() == before
    waiting = {p.name: p for p in article.source_proposals.all()}
    assert set(waiting) == {"أربعة مسؤولين سوريين", "ضابط سوري كبير", "الحكومة"}
    officials = waiting["أربعة مسؤولين سوريين"]
    assert officials.is_anonymous and officials.kind == Source.Kind.PERSON
    assert officials.confidence >= wire.PROPOSE_AT and ["unnamed", "أربعة"] in officials.reasons
    assert officials.sentences and "أكد أربعة مسؤولين سوريين" in officials.sentences[0]


def test_create_draft_uses_the_journalists_adjustments(registry, journalist):
    proposal = wire.parse(SAMPLE)
    kremlin = by_description(proposal)["الكرملين"]
    accepted = proposal.accept(
        headline="روسيا تبدأ سحب قواتها",
        dateline="دمشق",
        credit=wire.CreditProposal(name="وكالة الأرز للأنباء", confirmed=True),
        tags=["روسيا", "وسم جديد"],
        attributions=[kremlin],
    )
    article = wire.create_draft(accepted, by=journalist, section=SectionFactory())
    assert article.headline_ar == "روسيا تبدأ سحب قواتها" and article.dateline_ar == "دمشق"
    assert article.credit.name_ar == "وكالة الأرز للأنباء" and article.credit.kind == Source.Kind.AGENCY
    assert set(article.tags.names()) == {"روسيا", "وسم جديد"}
    assert list(article.attributions.values_list("description_ar", flat=True)) == ["الكرملين"]


def test_a_new_source_spelled_like_an_existing_one_is_not_duplicated(registry, journalist):
    proposal = wire.parse(SHORT.format(header="وكالة تليسكوب الإخبارية –"))
    accepted = proposal.accept(credit=wire.CreditProposal(name="وكالة تليسكوب الاخبارية"))
    article = wire.create_draft(accepted, by=journalist, section=SectionFactory())
    assert article.credit == registry["telescope"]


def test_two_imports_of_the_same_text_get_different_slugs(registry, journalist):
    section = SectionFactory()
    first = wire.create_draft(wire.parse(SAMPLE), by=journalist, section=section)
    second = wire.create_draft(wire.parse(SAMPLE), by=journalist, section=section)
    assert first.slug != second.slug


def test_a_failure_while_creating_leaves_nothing_behind(registry, journalist, monkeypatch):
    def broken(article):
        raise RuntimeError("search is down")

    monkeypatch.setattr(search, "update_document", broken)
    counts = [Article.objects.count(), Source.objects.count(), Attribution.objects.count(), Revision.objects.count()]
    with pytest.raises(RuntimeError):
        wire.create_draft(wire.parse(SAMPLE), by=journalist, section=SectionFactory())
    after = [Article.objects.count(), Source.objects.count(), Attribution.objects.count(), Revision.objects.count()]
    assert after == counts
    assert not Tag.objects.annotate(n=Count("tagged_articles")).filter(n__gt=0).exists()
