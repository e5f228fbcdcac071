"""Revisions: every save is a snapshot; any two compare word by word; restore is a new revision;
a save based on an old version is refused and loses nothing."""

import pytest
from django.urls import reverse

from articles import revisions
from articles.models import Revision, Status

from .admin_forms import change_form_data
from .factories import ArticleFactory, AttributionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_snapshot_holds_every_field_in_both_languages_and_the_relations(editor):
    article = ArticleFactory(headline_ar="عنوان", headline_en="Headline", body_ar="<p>نص</p>", dateline_ar="دمشق")
    article.tags.set(["روسيا", "سوريا"])
    AttributionFactory(article=article, description_ar="أربعة مسؤولين", is_anonymous=True)
    data = revisions.snapshot(article)
    assert data["headline_ar"] == "عنوان" and data["headline_en"] == "Headline"
    assert data["body_ar"] == "<p>نص</p>" and data["dateline_ar"] == "دمشق" and data["deck_en"] == ""
    assert data["tags"] == ["روسيا", "سوريا"]
    assert data["attributions"][0]["description_ar"] == "أربعة مسؤولين"
    assert data["attributions"][0]["is_anonymous"] is True
    assert data["section_id"] == article.section_id and data["status"] == "draft"


def test_every_admin_save_stores_a_revision(client, editor):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    for headline in ["العنوان الأول", "العنوان الثاني"]:
        data = change_form_data(client.get(change_url(article)))
        data["headline_ar"] = headline
        assert client.post(change_url(article), data).status_code == 302
    numbers = list(Revision.objects.filter(article=article).order_by("number").values_list("number", "author"))
    assert numbers == [(1, editor.pk), (2, editor.pk)]
    assert Revision.objects.get(article=article, number=2).snapshot["headline_ar"] == "العنوان الثاني"


def test_word_diff_marks_only_the_changed_words():
    html = revisions.word_diff("بدأت روسيا سحب قواتها", "بدأت روسيا نقل قواتها")
    assert html == "بدأت روسيا <del>سحب</del><ins>نقل</ins> قواتها"


def test_word_diff_escapes_html():
    assert "<script>" not in revisions.word_diff("a", "<script>alert(1)</script>")


def test_diff_lists_changed_fields_with_their_direction():
    old = {"headline_ar": "عنوان قديم", "headline_en": "Old", "tags": ["روسيا"], "body_ar": "<p>نص</p>"}
    new = {"headline_ar": "عنوان جديد", "headline_en": "New", "tags": ["روسيا", "سوريا"], "body_ar": "<p>نص</p>"}
    changes = {c.field: c for c in revisions.diff(old, new)}
    assert set(changes) == {"headline_ar", "headline_en", "tags"}
    assert changes["headline_ar"].direction == "rtl" and changes["headline_en"].direction == "ltr"
    assert "<ins>جديد</ins>" in changes["headline_ar"].html


def test_diff_hides_anonymous_sources_from_people_without_the_right(editor, chief):
    secret = SourceFactory(name_ar="العقيد المجهول")
    old = {"attributions": []}
    new = {"attributions": [{"source_id": secret.pk, "description_ar": "ضابط كبير", "is_anonymous": True}]}
    assert "العقيد المجهول" not in revisions.diff(old, new, user=editor)[0].html
    assert "العقيد المجهول" in revisions.diff(old, new, user=chief)[0].html


def test_revision_page_compares_any_two_revisions(client, editor):
    article = ArticleFactory(created_by=editor, headline_ar="روسيا تسحب قواتها")
    revisions.save_revision(article, editor)
    article.headline_ar = "روسيا تنقل قواتها"
    article.save()
    revisions.save_revision(article, editor)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revisions", args=[article.pk]), {"a": 1, "b": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>تسحب</del><ins>تنقل</ins>" in html
    assert 'dir="rtl" class="diff-text"' in html


def test_restore_brings_back_text_and_relations_as_a_new_revision(client, editor):
    article = ArticleFactory(created_by=editor, headline_ar="النسخة الأولى")
    article.tags.set(["روسيا"])
    revisions.save_revision(article, editor)
    article.headline_ar = "النسخة الثانية"
    article.save()
    article.tags.set(["اقتصاد"])
    revisions.save_revision(article, editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_restore", args=[article.pk, 1])
    response = client.post(url, {"loaded_version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline_ar == "النسخة الأولى"
    assert list(article.tags.names()) == ["روسيا"]
    latest = Revision.objects.filter(article=article).latest()
    assert latest.number == 3 and "1" in latest.note and latest.author == editor
    assert article.status == Status.DRAFT


def test_restore_is_refused_to_a_journalist_on_someone_elses_story(client, journalist, editor):
    article = ArticleFactory(created_by=editor)
    revisions.save_revision(article, editor)
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    assert response.status_code == 403


def test_saving_an_old_version_is_refused_keeps_the_typed_text_and_shows_what_changed(client, editor, chief):
    article = ArticleFactory(created_by=editor, headline_ar="عنوان أصلي", body_ar="<p>النص الأصلي للخبر</p>")
    revisions.save_revision(article, editor)
    client.force_login(editor)
    stale = change_form_data(client.get(change_url(article)))

    client.force_login(chief)
    fresh = change_form_data(client.get(change_url(article)))
    fresh["headline_ar"] = "عنوان عدّله رئيس التحرير"
    assert client.post(change_url(article), fresh).status_code == 302

    client.force_login(editor)
    stale["headline_ar"] = "عنوان كتبه المحرر"
    stale["body_ar"] = "<p>فقرة جديدة كتبها المحرر</p>"
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ليلى النجار" in html  # who saved meanwhile
    assert "عنوان كتبه المحرر" in html and "فقرة جديدة كتبها المحرر" in html  # nothing typed is lost
    assert "<ins>عدّله رئيس التحرير</ins>" in html  # what changed meanwhile
    article.refresh_from_db()
    assert article.headline_ar == "عنوان عدّله رئيس التحرير"

    # Having seen the changes, saving again is accepted.
    again = change_form_data(response)
    assert client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.headline_ar == "عنوان كتبه المحرر"


def test_a_workflow_move_makes_an_open_form_stale(client, editor, journalist):
    article = ArticleFactory(created_by=journalist, status=Status.SUBMITTED)
    client.force_login(editor)
    stale = change_form_data(client.get(change_url(article)))
    from articles import workflow

    workflow.transition(article, "approve", editor)
    stale["headline_ar"] = "عنوان بعد الإجازة"
    response = client.post(change_url(article), stale)
    assert response.status_code == 200 and response.context["adminform"].form.conflict is not None
