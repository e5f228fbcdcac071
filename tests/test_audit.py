"""The audit trail: append-only in the database, written by every action that matters, read and
exported by chief editors only."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

import audit
from articles import editing, revisions, workflow
from articles.models import Article
from audit.models import Entry

from .factories import ArticleFactory, SourceFactory, UserFactory, published

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_update_an_entry(journalist):
    entry = audit.record("login", by=journalist, obj=journalist)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET actor_name = 'someone else' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.actor_name == "سارة الحلبي (journalist)"


def test_the_database_refuses_to_delete_an_entry(journalist):
    entry = audit.record("login", by=journalist, obj=journalist)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [entry.pk])
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_change_an_entry_either(journalist):
    entry = audit.record("login", by=journalist, obj=journalist)
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(action="logout")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()


def test_an_unknown_action_is_refused_before_anything_is_written(journalist):
    with pytest.raises(ValueError):
        audit.record("published_story", by=journalist)
    assert not Entry.objects.exists()


def test_every_workflow_move_is_recorded_with_its_comment(journalist, editor):
    story = ArticleFactory(created_by=journalist)
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "return", editor, comment="المصدر الثاني غير مؤكد")
    moves = Entry.objects.filter(action="story_moved", object_id=str(story.pk)).order_by("id")
    assert [(e.actor_id, e.details["move"]) for e in moves] == [(journalist.pk, "submit"), (editor.pk, "return")]
    assert moves[1].details["comment"] == "المصدر الثاني غير مؤكد"
    assert moves[1].text == "إعادة للتعديل" and moves[1].object_text == story.headline_ar


def test_a_refused_move_leaves_no_entry(journalist):
    story = ArticleFactory(created_by=journalist)
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied; the point is what is left behind)
        workflow.transition(story, "publish", journalist)
    assert not Entry.objects.filter(action="story_moved").exists()


def test_edits_and_restores_are_recorded(editor):
    story = ArticleFactory()
    first = revisions.save_revision(story, editor, note="first")
    editing.save_edit(story, editor, editing.Edit(fields={"headline_ar": "عنوان معدّل"}), loaded_version=story.version)
    revisions.restore(story, first, editor, loaded_version=story.version)
    assert Entry.objects.filter(action="story_edited", object_id=str(story.pk)).count() == 2
    restored = Entry.objects.get(action="story_restored")
    assert restored.actor_id == editor.pk and restored.details["restored"] == first.number


def test_deleting_a_story_or_a_person_leaves_the_trail_whole(journalist, editor):
    story = ArticleFactory(created_by=journalist)
    workflow.transition(story, "submit", journalist)
    headline, pk = story.headline_ar, story.pk
    Article.objects.filter(pk=pk).delete()
    gone = UserFactory(username="gone")
    audit.record("login", by=gone, obj=gone)
    gone_pk = gone.pk
    gone.delete()
    entry = Entry.objects.get(action="story_moved", object_id=str(pk))
    assert entry.object_text == headline
    assert Entry.objects.get(action="login", actor_id=gone_pk).actor_name.endswith("(gone)")


def test_the_address_of_the_request_is_kept(client, chief):
    client.force_login(chief)
    source = SourceFactory(identity="ضابط في وزارة الدفاع")
    client.get(reverse("admin:articles_source_change", args=[source.pk]), REMOTE_ADDR="198.51.100.23")
    viewed = Entry.objects.get(action="identity_viewed")
    assert viewed.actor_id == chief.pk and viewed.object_id == str(source.pk) and viewed.address == "198.51.100.23"


def test_views_of_a_protected_identity_on_a_story_are_recorded(client, chief, editor):
    from .factories import AttributionFactory

    story = published()
    hidden = AttributionFactory(article=story, is_anonymous=True)
    AttributionFactory(article=story, is_anonymous=False)
    client.force_login(editor)
    client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert not Entry.objects.filter(action="identity_viewed").exists(), "editors do not see identities"
    client.force_login(chief)
    client.get(reverse("admin:articles_article_change", args=[story.pk]))
    viewed = Entry.objects.filter(action="identity_viewed", actor_id=chief.pk)
    assert [e.object_id for e in viewed] == [str(hidden.source_id)]


def make_trail(journalist, editor):
    story = ArticleFactory(created_by=journalist, headline_ar="انسحاب القوات من الساحل")
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "publish", editor)
    trap = ArticleFactory(headline_ar='=HYPERLINK("http://example.com")')
    audit.record("story_edited", by=editor, obj=trap)
    return story


def test_chief_editors_filter_the_trail_by_person_action_and_object(client, chief, journalist, editor):
    story = make_trail(journalist, editor)
    client.force_login(chief)
    url = reverse("audit:trail")
    page = client.get(url, {"person": editor.pk, "action": "story_moved"}).content.decode()
    assert "نشر" in page and "انسحاب القوات من الساحل" in page
    assert "إرسال للمراجعة" not in page
    by_object = client.get(url, {"object_type": "articles.article", "object_id": story.pk})
    assert {e.action for e in by_object.context["page"]} == {"story_moved"}
    by_text = client.get(url, {"object": "الساحل"})
    assert by_text.context["page"].paginator.count == 2


def test_the_date_filter_takes_any_date_and_never_fails(client, chief, journalist, editor):
    make_trail(journalist, editor)
    client.force_login(chief)
    url = reverse("audit:trail")
    assert client.get(url, {"since": "2000-01-01", "until": "9999-12-31"}).context["page"].paginator.count >= 3
    assert client.get(url, {"since": "9999-12-31"}).context["page"].paginator.count == 0
    bad = client.get(url, {"since": "not-a-date", "object": "x\x00y"})
    assert bad.status_code == 200 and bad.context["form"].errors["since"]


def test_the_csv_export_has_every_matching_entry_and_neutralises_formulas(client, chief, journalist, editor):
    make_trail(journalist, editor)
    client.force_login(chief)
    response = client.get(reverse("audit:trail"), {"format": "csv", "action": "story_edited"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "الوقت" and len(rows) == 2
    assert rows[1][7].startswith("'=HYPERLINK"), "a cell that starts like a formula is not run by a spreadsheet"


def test_only_holders_of_the_permission_see_the_trail(client, editor, chief):
    client.force_login(editor)
    refused = client.get(reverse("audit:trail"))
    assert refused.status_code == 403 and "سجل التدقيق لرؤساء التحرير وحدهم" in refused.content.decode()
    assert client.get(reverse("audit:trail"), {"format": "csv"}).status_code == 403
    client.force_login(chief)
    assert client.get(reverse("audit:trail")).status_code == 200
    assert reverse("audit:trail") in client.get(reverse("admin:index")).content.decode()
