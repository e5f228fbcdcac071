"""What the issue's testers found in real copy: each shape read as a careful editor would."""

import pytest

from articles import wire

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def parties(text):
    return {item.description: item for item in wire.parse(text).attributions if item.confidence >= wire.PROPOSE_AT}


def test_a_named_person_with_title_and_name_before_the_verb():
    found = parties("وزير الخارجية، خالد المصري، قال في مؤتمر صحفي إن الحكومة ستخفض الرسوم.")
    assert list(found) == ["وزير الخارجية خالد المصري"]
    assert [r.code for r in found["وزير الخارجية خالد المصري"].reasons][:2] == ["subject_first", "title"]


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("انقطعت الكهرباء عن حلب، بحسب ما أفاد به مصدر في وزارة الكهرباء.", "مصدر في وزارة الكهرباء"),
        ("ارتفع عدد الإصابات إلى ٣٢٠، وفقاً لوزارة الصحة المصرية.", "وزارة الصحة المصرية"),
        ("أعيد فتح المعبر، نقلاً عن هيئة المنافذ الحدودية.", "هيئة المنافذ الحدودية"),
        ("تسلمت السلطات القمح، وفقاً لبيان صادر عن المؤسسة السورية للحبوب.", "المؤسسة السورية للحبوب"),
    ],
)
def test_reported_speech(text, party):
    assert list(parties(text)) == [party]


def test_an_attribution_spread_over_a_quote():
    text = "«لن نقبل بأي اتفاق. هذا خط أحمر»، قال رئيس المجلس المحلي، فراس العلي.\n«المطلوب ضمانات»، أضاف العلي."
    (item,) = parties(text).values()
    assert item.description == "رئيس المجلس المحلي فراس العلي"
    assert len(item.sentences) == 2 and item.sentences[0].startswith("«لن نقبل بأي اتفاق. هذا خط أحمر»")


def test_asked_not_to_be_named_is_an_anonymous_source_not_a_source_called_his_name():
    found = parties("قال مسؤول أمني طلب عدم ذكر اسمه إن قوات الأمن أوقفت خمسة أشخاص.")
    assert list(found) == ["مسؤول أمني"]
    assert found["مسؤول أمني"].is_anonymous
    assert "asked_anonymity" in [r.code for r in found["مسؤول أمني"].reasons]


@pytest.mark.parametrize(
    "text",
    [
        "أعلنت الوزارة في وقت سابق أن الامتحانات ستبدأ في حزيران.",
        "وقالت المديرة: «لقد عملت كثيراً مع الطلاب».",
        "كشفت محاكمة رجل الأعمال عن تفاصيل جديدة.",
    ],
)
def test_what_registry_noise_was_made_of_is_never_proposed(text):
    names = {item.description for item in wire.parse(text).attributions}
    assert not names & {"في وقت سابق", "لقد عملت كثيراً", "محاكمة رجل الأعمال"}


def test_every_proposal_says_how_sure_it_is_and_why():
    for item in wire.parse("قال وزير الخارجية الأردني سامر الحديدي إن بلاده مستعدة للحوار.").attributions:
        assert 0 <= item.confidence <= 1 and item.reasons
        assert all(str(reason.label) for reason in item.reasons)


def test_an_existing_source_is_matched_by_default():
    minister = SourceFactory(name_ar="سامر الحديدي", kind="person")
    (item,) = wire.parse("قال وزير الخارجية الأردني سامر الحديدي إن بلاده مستعدة للحوار.").attributions
    assert item.source == minister and not item.new_source_name
    assert "registry_exact" in [r.code for r in item.reasons]


def test_the_dateline_after_the_credit_is_taken_out_of_the_lead():
    proposal = wire.parse("وكالة تليسكوب الإخبارية – دمشق: أعلن الكرملين أن النقاشات مستمرة مع دمشق.")
    assert proposal.credit.name == "وكالة تليسكوب الإخبارية"
    assert proposal.dateline == "دمشق"
    assert proposal.headline.startswith("أعلن الكرملين")
    assert proposal.paragraphs[0].startswith("أعلن الكرملين") and "دمشق:" not in proposal.body_html


def test_a_place_alone_before_the_dash_is_the_dateline_not_a_credit():
    proposal = wire.parse("دمشق – أعلنت المؤسسة العامة للخطوط الحديدية استئناف رحلات القطار.")
    assert proposal.credit is None and proposal.dateline == "دمشق"


def test_a_deck_is_proposed_from_the_lead_when_the_copy_has_none():
    proposal = wire.parse(
        "وكالة تليسكوب الإخبارية – بدأت ورش ترميم السوق القديم في حمص. "
        "وتشمل المرحلة الأولى ١٢٠ محلاً وإعادة الكهرباء والمياه.\nفقرة ثانية فيها تفاصيل أخرى عن المشروع."
    )
    assert proposal.deck == "وتشمل المرحلة الأولى ١٢٠ محلاً وإعادة الكهرباء والمياه."


def test_an_urgent_line_is_proposed_as_breaking_news_without_its_mark():
    proposal = wire.parse("عاجل | الدفاع المدني السوري يعلن إخماد حرائق غابات اللاذقية")
    assert proposal.is_breaking
    assert "عاجل" not in proposal.headline and "عاجل" not in proposal.body_html
