"""The "Import wire copy" admin page: paste or upload, adjust the proposal, get a draft."""

from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles import wire
from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Article, Attribution, Revision, Source, Status, Tag

from .factories import SectionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).resolve().parents[1] / "articles" / "demo" / "wire-telescope-russia-withdrawal.txt").read_text(
    encoding="utf-8"
)
URL = "/admin/articles/article/import-wire/"


@pytest.fixture
def newsroom(db):
    SectionFactory(slug="world", name_ar="العالم", position=0)
    syria = SectionFactory(slug="syria", name_ar="سوريا", position=1)
    telescope = SourceFactory(name_ar="وكالة تليسكوب الإخبارية", kind="agency")
    kremlin = SourceFactory(name_ar="الكرملين")
    for name in ["روسيا", "حميميم"]:
        Tag.objects.create(name=name, slug=name)
    return {"syria": syria, "telescope": telescope, "kremlin": kremlin}


def post_data(*forms_and_formsets) -> dict:
    """What a browser would send back for these forms as the page rendered them."""
    data = {}
    for item in forms_and_formsets:
        bound_forms = [item.management_form, *item.forms] if isinstance(item, forms.BaseFormSet) else [item]
        for form in bound_forms:
            for field in form:
                value = field.value()
                if isinstance(field.field, forms.BooleanField):
                    if value:
                        data[field.html_name] = "on"
                elif value is not None:
                    data[field.html_name] = value
    return data


def parse_page(client, text=SAMPLE):
    response = client.post(URL, {"text": text.replace("\n", "\r\n"), "action": "parse"})
    assert response.status_code == 200
    return response


def accept(client, response, **changes):
    context = response.context
    data = {
        "text": context["text_form"]["text"].value(),
        **post_data(context["accept_form"], context["attributions"]),
        "action": "create",
        **changes,
    }
    return client.post(URL, data)


def test_the_page_is_arabic_right_to_left_and_offers_paste_and_upload(client, journalist):
    client.force_login(journalist)
    html = client.get(URL).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "استيراد نص وكالة" in html
    assert 'name="text"' in html and 'type="file"' in html


def test_the_story_list_links_to_the_import_page(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{URL}"' in html


def test_pasting_the_sample_shows_the_proposal_beside_the_original(client, journalist, newsroom):
    client.force_login(journalist)
    html = parse_page(client).content.decode()
    assert "<h2>ردود فعل موسكو</h2>" in html  # the proposed body
    assert "وكالة تليسكوب الإخبارية – على الطريق" in html  # the original, kept in its box
    assert 'value="أربعة مسؤولين سوريين"' in html
    assert 'value="روسيا"' in html and "checked" in html
    assert "١٠ فقرات" in html or "10 فقرات" in html


def test_a_journalist_accepts_the_proposal_and_lands_on_the_new_draft(client, journalist, newsroom):
    client.force_login(journalist)
    response = accept(client, parse_page(client))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Status.DRAFT and article.created_by == journalist
    assert article.section == newsroom["syria"]  # proposed: the story mentions Syria
    assert article.credit == newsroom["telescope"]
    assert article.body_ar.count("<h2>") == 4
    assert set(article.tags.names()) == {"روسيا", "حميميم"}
    assert article.attributions.get(description_ar="الكرملين").source == newsroom["kremlin"]
    # Sources the registry lacks wait on the draft until someone confirms them.
    assert article.source_proposals.get(name="ضابط سوري كبير").is_anonymous
    assert not Source.objects.filter(name_ar="ضابط سوري كبير").exists()
    assert Revision.objects.get(article=article).author == journalist
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "أُنشئت المسودة" in page.content.decode()


def test_an_editor_adjusts_credit_tags_and_attributions_before_creating(client, editor, newsroom):
    client.force_login(editor)
    response = parse_page(client)
    rows = response.context["attributions"]
    kremlin_row = next(i for i, f in enumerate(rows.forms) if f["description"].value() == "الكرملين")
    changes = {
        "headline": "روسيا تبدأ سحب قواتها من سوريا",
        "credit_source": "",
        "credit_new_name": "وكالة الأرز للأنباء",
        "credit_new_name_en": "Cedar News Agency",
        "credit_confirm": "on",
        "tags": ["روسيا"],
        "new_tags": "انسحاب، قواعد عسكرية",
        f"attributions-{kremlin_row}-description": "الرئاسة الروسية (الكرملين)",
    }
    # Leave out every attribution but the Kremlin's.
    for index in range(len(rows.forms) - 1):
        if index != kremlin_row:
            changes[f"attributions-{index}-DELETE"] = "on"
    assert accept(client, response, **changes).status_code == 302
    article = Article.objects.get()
    assert article.headline_ar == "روسيا تبدأ سحب قواتها من سوريا"
    assert article.credit.name_ar == "وكالة الأرز للأنباء" and article.credit.name_en == "Cedar News Agency"
    assert set(article.tags.names()) == {"روسيا", "انسحاب", "قواعد عسكرية"}
    assert list(article.attributions.values_list("description_ar", "source")) == [
        ("الرئاسة الروسية (الكرملين)", newsroom["kremlin"].pk)
    ]
    assert article.created_by == editor


def test_an_uploaded_windows_1256_file_is_read_and_its_text_kept_in_the_box(client, journalist, newsroom):
    client.force_login(journalist)
    upload = SimpleUploadedFile("story.txt", SAMPLE.encode("cp1256"), content_type="text/plain")
    response = client.post(URL, {"file": upload, "action": "parse", "text": ""})
    html = response.content.decode()
    assert "قُرئ الملف بترميز Windows-1256" in html
    assert response.context["text_form"]["text"].value().lstrip().startswith("وكالة تليسكوب الإخبارية")
    assert response.context["proposal"].subheadings[-1] == "ردود فعل موسكو"
    assert accept(client, response).status_code == 302
    assert Article.objects.get().credit == newsroom["telescope"]


def test_without_add_article_the_page_is_forbidden(client, newsroom):
    reader = UserFactory(username="archivist")  # staff, but no role
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": SAMPLE, "action": "parse"}).status_code == 403
    data = {"text": SAMPLE, "action": "create", "headline": "x", "section": newsroom["syria"].pk}
    assert client.post(URL, data).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "النص فارغ"),
        ("   \r\n  ", "النص فارغ"),
        ("وكالة تليسكوب الإخبارية –", "لا خبر بعده"),
        ("\x01\x02\x03\x04\x05\x06" * 10, "لا يبدو نصًا"),
    ],
)
def test_bad_text_keeps_what_was_typed_and_says_why_in_arabic(client, journalist, newsroom, text, message):
    client.force_login(journalist)
    response = client.post(URL, {"text": text, "action": "parse"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert response.context["text_form"]["text"].value() == text
    assert response.context["proposal"] is None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("huge.txt", b"a " * (wire.MAX_UPLOAD_BYTES // 2 + 1), "الملف كبير جدًا"),
        ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "ارفع ملفًا"),
        ("noise.txt", bytes(range(256)) * 8, "لا يبدو نصًا"),
        ("story.docx", b"PK\x03\x04 broken", "تعذّرت قراءة ملف docx"),
    ],
)
def test_bad_uploads_get_a_clear_arabic_message_and_keep_the_typed_text(client, journalist, name, data, message):
    client.force_login(journalist)
    typed = "نص كتبته الصحفية قبل أن ترفع الملف."
    upload = SimpleUploadedFile(name, data)
    response = client.post(URL, {"file": upload, "text": typed, "action": "parse"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["text_form"]["text"].value() == typed


def test_a_missing_section_keeps_the_adjustments_and_creates_nothing(client, journalist, newsroom):
    client.force_login(journalist)
    sources = Source.objects.count()
    response = accept(client, parse_page(client), section="", headline="عنوان عدّلته الصحفية")
    assert response.status_code == 200
    html = response.content.decode()
    assert "هذا الحقل مطلوب" in html
    assert 'value="عنوان عدّلته الصحفية"' in html
    assert "<h2>ردود فعل موسكو</h2>" in html
    assert not Article.objects.exists() and Source.objects.count() == sources


def test_one_bad_attribution_row_creates_nothing_at_all(client, journalist, newsroom):
    client.force_login(journalist)
    sources = Source.objects.count()
    response = accept(
        client,
        parse_page(client),
        **{"attributions-0-source": newsroom["kremlin"].pk, "attributions-0-new_source_name": "مصدر جديد"},
    )
    assert response.status_code == 200
    assert "اختر مصدرًا موجودًا أو اكتب اسمًا جديدًا" in response.content.decode()
    assert not Article.objects.exists() and not Attribution.objects.exists()
    assert Source.objects.count() == sources


def test_credit_with_both_an_existing_and_a_new_source_is_refused(client, journalist, newsroom):
    client.force_login(journalist)
    response = accept(client, parse_page(client), credit_new_name="وكالة أخرى")
    assert response.status_code == 200
    assert "اختر مصدرًا موجودًا أو اكتب اسمًا جديدًا" in response.content.decode()
    assert not Article.objects.exists()


def test_a_writer_who_may_not_add_sources_leaves_them_for_an_editor(client, newsroom):
    writer = UserFactory(username="stringer")
    writer.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_article"]))
    client.force_login(writer)
    response = parse_page(client)
    rows = response.context["attributions"]
    row = next(i for i, f in enumerate(rows.forms) if f["description"].value() == "ضابط سوري كبير")
    refused = accept(client, response, **{f"attributions-{row}-confirm": "on"})
    assert refused.status_code == 200
    assert "لا يمكنك إضافة مصادر" in refused.content.decode()
    assert not Article.objects.exists()
    assert accept(client, response).status_code == 302  # unconfirmed, they wait on the draft
    assert Article.objects.get().source_proposals.filter(name="ضابط سوري كبير").exists()


def test_in_the_demo_the_imported_sample_reads_like_the_published_demo_story(client):
    call_command("load_demo", stdout=StringIO())
    demo = Article.objects.public().get(slug=STORY_SLUG)
    client.force_login(get_user_model().objects.get(username="journalist"))
    assert accept(client, parse_page(client)).status_code == 302
    draft = Article.objects.get(status=Status.DRAFT)
    assert draft.body_ar == demo.body_ar
    assert draft.credit == demo.credit and draft.section == demo.section
    # Every tag of the demo story, plus any other existing tag the text names (the demo has دمشق).
    assert set(draft.tags.names()) >= set(demo.tags.names())
    assert all(name in demo.body_ar for name in set(draft.tags.names()) - set(demo.tags.names()))
    assert not Article.objects.public().filter(pk=draft.pk).exists()


def test_each_proposed_attribution_shows_its_confidence_and_reasons(client, journalist, newsroom):
    client.force_login(journalist)
    html = parse_page(client).content.decode()
    assert "درجة الثقة" in html
    assert "فعل القول «أكد» يسبق صاحب القول" in html
    assert "يطابق المصدر الموجود «الكرملين»" in html
