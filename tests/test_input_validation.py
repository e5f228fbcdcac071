"""Bad input gets a clear answer, never a server error; text readers see holds no direction
overrides; a headline is visible; a workflow comment is bounded (issue 11, item 7)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import editing, workflow
from articles.models import COMMENT_MAX_LENGTH, Article, Tag, Transition

from .admin_forms import change_form_data
from .factories import ArticleFactory, SourceFactory, published

pytestmark = pytest.mark.django_db

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


@pytest.fixture
def answering(client):
    """A client that returns a server error as a response instead of raising it."""
    client.raise_request_exception = False
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_search_with_a_date_past_the_calendar_answers_with_a_message(answering, prefix):
    response = answering.get(f"{prefix}/search/", {"q": "x", "date_to": "9999-12-31"})
    assert response.status_code == 200
    if not prefix:
        assert "اختر تاريخًا بين العامين ١٩٠٠ و٢١٩٩" in response.content.decode()


def test_search_with_a_start_date_in_year_one_answers(answering):
    assert answering.get("/search/", {"q": "x", "date_from": "0001-01-01"}).status_code == 200


def test_a_huge_year_in_the_date_hierarchy_shows_the_whole_list_with_a_message(answering, editor):
    answering.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    response = answering.get(url, {"updated_at__year": "99999999999"}, follow=True)
    assert response.status_code == 200
    assert "تعذّر تطبيق هذا المرشّح" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"status__exact": "\x00"},
        {"section__id__exact": "\x00"},
        {"bylines__author__id__exact": "\x00"},
        {"publish_at__gte": "\x00"},
        {"publish_at__gte": "0001-01-01 00:00:00"},
        {"updated_at__lt": "9999-12-31"},
        {"queue": "\x00"},
        {"q": "\x00"},
        {"updated_at__year": "2026", "updated_at__month": "13"},
    ],
)
def test_story_list_filters_with_impossible_values_never_fail(answering, editor, params):
    answering.force_login(editor)
    response = answering.get(reverse("admin:articles_article_changelist"), params, follow=True)
    assert response.status_code == 200, params


@pytest.mark.parametrize("field", ["credit", "lead_image", "tags"])
def test_autocomplete_with_a_nul_character_answers(answering, editor, field):
    answering.force_login(editor)
    params = {"app_label": "articles", "model_name": "article", "field_name": field, "term": "\x00"}
    response = answering.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_source_search_box_and_autocomplete_ignore_control_characters(answering, editor):
    SourceFactory(name_ar="وزارة الدفاع")
    answering.force_login(editor)
    params = {"app_label": "articles", "model_name": "attribution", "field_name": "source", "term": "وزارة\x00"}
    response = answering.get(reverse("admin:autocomplete"), params)
    assert [item["text"] for item in response.json()["results"]] == ["وزارة الدفاع"]
    assert answering.get(reverse("admin:articles_source_changelist"), {"q": "\x00"}).status_code == 200


def test_a_publish_time_in_year_one_is_refused_with_a_message_and_the_text_kept(answering, editor):
    article = ArticleFactory(created_by=editor)
    answering.force_login(editor)
    data = change_form_data(answering.get(change_url(article)))
    data.update({"headline_ar": "عنوان لم يُحفظ بعد", "publish_at_0": "0001-01-01", "publish_at_1": "00:00"})
    response = answering.post(change_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "اختر تاريخًا بين العامين" in html and "عنوان لم يُحفظ بعد" in html
    article.refresh_from_db()
    assert article.publish_at is None


@pytest.mark.parametrize(
    "field",
    [("existing_tags", ["\x00"]), ("bylines-0-author", "\x00"), ("credit", "\x00"), ("lead_image", "1\x00")],
    ids=["existing tags", "byline author", "credit", "lead image"],
)
def test_nul_characters_in_the_story_form_are_refused_not_a_server_error(answering, editor, field):
    article = ArticleFactory(created_by=editor, headline_ar="عنوان قبل التعديل")
    answering.force_login(editor)
    data = change_form_data(answering.get(change_url(article)))
    name, value = field
    if name.startswith("bylines-"):
        data.update({"bylines-TOTAL_FORMS": "1", "bylines-0-position": "0"})
    data.update({name: value, "headline_ar": "عنوان كتبه المحرر"})
    response = answering.post(change_url(article), data)
    assert response.status_code == 200
    assert "عنوان كتبه المحرر" in response.content.decode()
    article.refresh_from_db()
    assert article.headline_ar == "عنوان قبل التعديل"


def test_a_headline_of_invisible_characters_is_refused(answering, editor):
    article = ArticleFactory(created_by=editor, headline_ar="عنوان حقيقي")
    answering.force_login(editor)
    data = change_form_data(answering.get(change_url(article)))
    data["headline_ar"] = "\u200b\u200c\u200f\u2066\u2069"
    response = answering.post(change_url(article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["headline_ar"]
    article.refresh_from_db()
    assert article.headline_ar == "عنوان حقيقي" and article.slug != "article"


def test_direction_overrides_are_stripped_from_every_text_a_reader_sees(client, editor):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data.update(
        {
            "headline_ar": f"عنوان {RLO}مقلوب{PDF} الاتجاه",
            "deck_ar": f"سطر {LRI}معزول{PDI} فرعي",
            "dateline_ar": f"{RLO}دمشق",
            "summary_ar": f"ملخص{PDF}\u200f.",
            "new_tags": f"{RLO}روسيا",
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline_ar == "عنوان مقلوب الاتجاه"
    assert article.deck_ar == "سطر معزول فرعي"
    assert article.dateline_ar == "دمشق"
    # Marks that only place punctuation (RLM here) are legitimate Arabic typing and stay.
    assert article.summary_ar == "ملخص\u200f."
    assert list(article.tags.names()) == ["روسيا"]


@pytest.mark.parametrize(
    ("url_name", "data", "model", "field"),
    [
        (
            "admin:articles_section_add",
            {"name_ar": f"{RLO}سياسة", "slug": "politics", "position": 0},
            "section",
            "name",
        ),
        (
            "admin:articles_source_add",
            {"name_ar": f"وزارة{LRI} الدفاع", "slug": "mod", "kind": "organisation"},
            "source",
            "name",
        ),
        ("admin:articles_tag_add", {"name_ar": f"{RLO}اقتصاد", "slug": ""}, "tag", "name"),
    ],
)
def test_direction_overrides_are_stripped_from_section_source_and_tag_names(
    client, chief, url_name, data, model, field
):
    client.force_login(chief)
    response = client.post(reverse(url_name), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    from django.apps import apps

    stored = apps.get_model("articles", model).objects.get()
    assert RLO not in getattr(stored, field) and LRI not in getattr(stored, field)


def test_the_edit_function_strips_direction_overrides_on_any_route(editor):
    article = ArticleFactory(created_by=editor)
    edit = editing.Edit(
        fields={"headline_ar": f"{RLO}خبر"},
        tags=[f"وسم{PDF}"],
        attributions=[editing.Citation(source_id=SourceFactory().pk, description_ar=f"{LRI}مسؤول{PDI}")],
    )
    editing.save_edit(article, editor, edit, loaded_version=article.version)
    article.refresh_from_db()
    assert article.headline_ar == "خبر" and list(article.tags.names()) == ["وسم"]
    assert article.attributions.get().description_ar == "مسؤول"
    assert not Tag.objects.filter(name__contains=PDF).exists()


def test_a_workflow_comment_longer_than_the_limit_is_refused_with_a_message(client, editor):
    article = published(created_by=editor)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data.update({"workflow_move": "unpublish", "workflow_comment": "ا" * (COMMENT_MAX_LENGTH + 1)})
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["workflow_comment"]
    article.refresh_from_db()
    assert article.is_published and not Transition.objects.filter(article=article).exists()


@pytest.mark.parametrize("route", ["move", "bulk"])
def test_a_megabyte_comment_is_refused_on_every_route(client, editor, route):
    article = published(created_by=editor)
    client.force_login(editor)
    comment = "ا" * 1_000_000
    if route == "move":
        client.post(
            reverse("admin:articles_article_move", args=[article.pk]),
            {"workflow_move": "unpublish", "workflow_comment": comment},
        )
    else:
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "move_unpublish", "_selected_action": [article.pk], "workflow_comment": comment},
        )
    article.refresh_from_db()
    assert article.is_published and not Transition.objects.exists()


def test_transition_refuses_a_comment_past_the_limit(editor):
    article = published()
    with pytest.raises(workflow.ValidationError):
        workflow.transition(article, "unpublish", editor, "ا" * (COMMENT_MAX_LENGTH + 1))
    assert Article.objects.get(pk=article.pk).is_published


def test_reschedule_refuses_a_time_past_the_calendar(editor):
    article = published()
    with pytest.raises(workflow.ValidationError):
        workflow.transition(article, "reschedule", editor, publish_at=timezone.now() + timedelta(days=366 * 400))
