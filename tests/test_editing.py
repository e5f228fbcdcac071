"""Saving an edit is one function, editing.save_edit(): locked, based on the version the person
loaded (required), a revision only when something changed; a published story's time changes only
by the "reschedule" move (issue 11, items 8 and 9; issue 17, item 9)."""

import itertools
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import editing, revisions, workflow
from articles.forms import ArticleAdminForm
from articles.models import Article, Revision, Status, Transition

from .admin_forms import change_form_data
from .factories import ArticleFactory, AttributionFactory, BylineFactory, SourceFactory, UserFactory, published

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def notes(article):
    return list(Revision.objects.filter(article=article).order_by("number").values_list("note", flat=True))


# The version the person loaded is required --------------------------------------------------


def test_a_save_without_the_loaded_version_is_refused_and_keeps_the_typed_text(client, editor):
    article = ArticleFactory(created_by=editor, headline_ar="العنوان المحفوظ")
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    del data["loaded_version"]
    data["headline_ar"] = "عنوان كتبه سكربت"
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "عنوان كتبه سكربت" in html and "لا يذكر هذا النموذج نسخة الخبر" in html
    article.refresh_from_db()
    assert article.headline_ar == "العنوان المحفوظ" and notes(article) == []


def test_save_edit_refuses_an_edit_without_a_version(editor):
    article = ArticleFactory(created_by=editor)
    with pytest.raises(ValidationError):
        editing.save_edit(article, editor, editing.Edit(fields={"headline_ar": "جديد"}), loaded_version=None)
    assert Article.objects.get(pk=article.pk).headline_ar != "جديد"


def test_save_edit_refuses_an_old_version(editor):
    article = ArticleFactory(created_by=editor)
    with pytest.raises(revisions.EditConflict):
        editing.save_edit(
            article, editor, editing.Edit(fields={"headline_ar": "جديد"}), loaded_version=article.version - 1
        )


def test_save_edit_refuses_someone_who_may_not_edit_the_story(journalist, other_journalist):
    article = ArticleFactory(created_by=other_journalist)
    with pytest.raises(PermissionDenied):
        editing.save_edit(article, journalist, editing.Edit(fields={"headline_ar": "سطو"}), loaded_version=1)
    assert Article.objects.get(pk=article.pk).version == 1


# One function applies everything, once ------------------------------------------------------


def test_one_save_applies_fields_and_every_relation_in_one_revision(editor):
    article = ArticleFactory(created_by=editor, headline_ar="قبل")
    published_story = published()
    coauthor, source = UserFactory(), SourceFactory()
    edit = editing.Edit(
        fields={"headline_ar": "بعد", "deck_ar": "سطر فرعي", "urgency": 3},
        tags=["روسيا", "سوريا"],
        authors=[coauthor.pk, editor.pk],
        attributions=[editing.Citation(source_id=source.pk, description_ar="مسؤول حكومي", is_anonymous=True)],
    )
    revision = editing.save_edit(article, editor, edit, loaded_version=article.version)
    article.refresh_from_db()
    assert (article.headline_ar, article.deck_ar, article.urgency, article.version) == ("بعد", "سطر فرعي", 3, 2)
    assert sorted(article.tags.names()) == ["روسيا", "سوريا"]
    assert list(article.bylines.values_list("author", flat=True)) == [coauthor.pk, editor.pk]
    assert article.attributions.get().description_ar == "مسؤول حكومي"
    assert Revision.objects.filter(article=article).count() == 1 and revision.snapshot["tags"] == ["روسيا", "سوريا"]
    corrections = [editing.CorrectionText(text_ar="صُحّح الرقم")]
    editing.save_edit(published_story, editor, editing.Edit(corrections=corrections), loaded_version=1)
    assert published_story.corrections.get().created_by == editor


def test_a_save_that_changes_nothing_writes_nothing(editor):
    article = ArticleFactory(created_by=editor, headline_ar="كما هو")
    article.tags.set(["روسيا"])
    BylineFactory(article=article, author=editor)
    AttributionFactory(article=article)
    same = editing.Edit(
        fields={"headline_ar": "كما هو"},
        tags=["روسيا"],
        authors=[editor.pk],
        attributions=[
            editing.Citation(a.source_id, a.description_ar, "", a.is_anonymous) for a in article.attributions.all()
        ],
    )
    ids = list(article.attributions.values_list("pk", flat=True))
    assert editing.save_edit(article, editor, same, loaded_version=1) is None
    article.refresh_from_db()
    assert article.version == 1 and notes(article) == []
    assert list(article.attributions.values_list("pk", flat=True)) == ids, "unchanged sources were rewritten"


def test_save_then_submit_without_changes_writes_no_empty_edited_revision(client, journalist):
    article = ArticleFactory(created_by=journalist)
    BylineFactory(article=article, author=journalist)
    client.force_login(journalist)
    data = change_form_data(client.get(change_url(article)))
    data["workflow_move"] = "submit"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert notes(article) == ["إرسال للمراجعة"], "the move wrote an empty “Edited” revision before itself"


def test_every_revision_a_form_and_its_moves_write_differs_from_the_one_before(client, editor):
    article = ArticleFactory(created_by=editor, headline_ar="أول")
    client.force_login(editor)
    for headline, move in [("أول", "submit"), ("ثانٍ", "approve"), ("ثانٍ", "publish")]:
        data = change_form_data(client.get(change_url(article)))
        data.update({"headline_ar": headline, "workflow_move": move})
        assert client.post(change_url(article), data).status_code == 302
    history = list(Revision.objects.filter(article=article).order_by("number"))
    for older, newer in itertools.pairwise(history):
        assert revisions.diff(older.snapshot, newer.snapshot), (
            f"revision #{newer.number} ({newer.note}) changes nothing"
        )


def test_an_edit_purges_the_public_cache_only_after_commit(editor, django_capture_on_commit_callbacks, monkeypatch):
    purged = []
    monkeypatch.setattr("articles.cache.invalidate_article", lambda article: purged.append(article.pk))
    article = published(created_by=editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editing.save_edit(article, editor, editing.Edit(fields={"headline_ar": "جديد"}), loaded_version=1)
    assert purged == []
    for callback in callbacks:
        callback()
    assert purged == [article.pk]


def test_an_edit_refreshes_the_search_document(editor):
    article = published(created_by=editor, headline_ar="خبر قديم")
    editing.save_edit(article, editor, editing.Edit(fields={"headline_ar": "زلزال في اللاذقية"}), loaded_version=1)
    from articles import search

    assert list(search.search_articles("زلزال")) == [article]


def test_restore_with_nothing_to_change_writes_nothing(client, editor):
    article = ArticleFactory(created_by=editor)
    revisions.save_revision(article, editor)
    article.headline_ar = "تغيير"
    article.version = 2
    article.save()
    revisions.save_revision(article, editor)
    client.force_login(editor)
    restore = reverse("admin:articles_article_restore", args=[article.pk, 2])
    response = client.post(restore, {"loaded_version": 2}, follow=True)
    assert "مطابق للنسخة رقم 2" in response.content.decode()
    assert Revision.objects.filter(article=article).count() == 2


def test_restore_without_the_loaded_version_is_refused(client, editor):
    article = ArticleFactory(created_by=editor, headline_ar="الأصل")
    revisions.save_revision(article, editor)
    article.headline_ar = "الحالي"
    article.version = 2
    article.save()
    client.force_login(editor)
    client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    article.refresh_from_db()
    assert article.headline_ar == "الحالي"


# publish_at of a published story, and the reschedule move -------------------------------------


def test_the_form_does_not_change_when_a_published_story_goes_public(client, editor):
    when = timezone.now() - timedelta(hours=3)
    article = published(created_by=editor, publish_at=when)
    client.force_login(editor)
    page = client.get(change_url(article))
    assert "publish_at" in page.context["adminform"].readonly_fields
    data = change_form_data(page)
    later = timezone.localtime() + timedelta(days=3)
    data.update({"publish_at_0": f"{later:%Y-%m-%d}", "publish_at_1": "10:00", "headline_ar": "عنوان جديد"})
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.publish_at == when and article.headline_ar == "عنوان جديد"
    assert Article.objects.public().filter(pk=article.pk).exists(), "the live story was hidden by a form save"


def test_save_edit_refuses_a_new_time_for_a_published_story(editor):
    article = published()
    with pytest.raises(ValidationError) as refused:
        editing.save_edit(
            article, editor, editing.Edit(fields={"publish_at": timezone.now() + timedelta(days=1)}), loaded_version=1
        )
    assert "publish_at" in refused.value.message_dict
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_rescheduling_is_a_move_with_the_old_and_new_times_in_the_history(client, editor):
    when = timezone.now() + timedelta(hours=2)
    article = published(created_by=editor, publish_at=when, first_published_at=when)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    later = timezone.localtime(when + timedelta(days=1)).replace(second=0, microsecond=0)
    data.update(
        {
            "workflow_move": "reschedule",
            "workflow_comment": "بطلب من المراسل",
            "workflow_publish_at_0": f"{later:%Y-%m-%d}",
            "workflow_publish_at_1": f"{later:%H:%M}",
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.publish_at == later and article.first_published_at == later
    record = Transition.objects.get(article=article, move="reschedule")
    assert (record.old_publish_at, record.new_publish_at, record.by) == (when, later, editor)
    html = client.get(change_url(article)).content.decode()
    assert "إعادة الجدولة" in html and "موعد النشر" in html


def test_rescheduling_a_live_story_into_the_future_hides_it_until_then_and_says_so(editor):
    article = published()
    first = article.first_published_at
    later = timezone.now() + timedelta(hours=5)
    workflow.transition(article, "reschedule", editor, publish_at=later)
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert Article.objects.public(now=later).filter(pk=article.pk).exists()
    article.refresh_from_db()
    assert article.first_published_at == first, "readers saw it already: its first publication stays"
    assert Transition.objects.get(move="reschedule").new_publish_at == later


def test_bringing_a_scheduled_story_forward_is_recorded(editor):
    article = published(publish_at=timezone.now() + timedelta(days=2))
    workflow.transition(article, "reschedule", editor, publish_at=timezone.now() - timedelta(days=1))
    assert Article.objects.public().filter(pk=article.pk).exists()
    assert Transition.objects.filter(article=article, move="reschedule").count() == 1


def test_reschedule_needs_a_time(client, editor):
    article = published(created_by=editor)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data["workflow_move"] = "reschedule"
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["workflow_publish_at"]
    with pytest.raises(ValidationError):
        workflow.transition(article, "reschedule", editor)
    assert not Transition.objects.filter(article=article).exists()


# A conflict found under the row lock -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_save_made_between_validation_and_the_lock_shows_the_conflict_with_everything_typed(
    client, editor, chief, monkeypatch
):
    article = ArticleFactory(created_by=editor, headline_ar="الأصل")
    revisions.save_revision(article, editor)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data["headline_ar"] = "عنوان المحرر"
    original_clean = ArticleAdminForm.clean
    raced = []

    def clean_then_someone_saves(form):
        cleaned = original_clean(form)
        if not raced:
            # Another person's save commits on its own connection after this form was validated.
            def save():
                editing.save_edit(
                    Article(pk=article.pk),
                    chief,
                    editing.Edit(fields={"headline_ar": "عنوان رئيس التحرير"}),
                    loaded_version=1,
                )
                connection.close()

            thread = threading.Thread(target=save)
            thread.start()
            thread.join(15)
            raced.append(True)
        return cleaned

    monkeypatch.setattr(ArticleAdminForm, "clean", clean_then_someone_saves)
    response = client.post(change_url(article), data)
    assert raced and response.status_code == 200
    html = response.content.decode()
    assert "عنوان المحرر" in html, "what the editor typed was lost"
    assert response.context["adminform"].form.conflict is not None
    article.refresh_from_db()
    assert article.headline_ar == "عنوان رئيس التحرير" and article.version == 2
