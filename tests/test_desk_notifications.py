"""Notifications: each event tells the right people, the header counts what is new, the list
opens what it is about, and mail goes out only when mail is configured (and never breaks a move)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from articles import workflow
from desk import budget
from desk.models import BudgetItem, Notification

from .factories import ArticleFactory, BylineFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(journalist, other_journalist):
    article = ArticleFactory(created_by=journalist, headline_ar="خبر سارة")
    BylineFactory(article=article, author=other_journalist)
    return article


@pytest.mark.parametrize(
    ("moves", "kind"),
    [
        ([("submit", "journalist"), ("return", "editor")], "returned"),
        ([("submit", "journalist"), ("approve", "editor")], "approved"),
        ([("submit", "journalist"), ("publish", "editor")], "published"),
    ],
)
def test_each_move_on_my_story_notifies_its_journalists(story, journalist, other_journalist, editor, moves, kind):
    people = {"journalist": journalist, "editor": editor}
    for move, who in moves:
        workflow.transition(story, move, people[who], "تعليق المحرر" if move == "return" else "")
    for person in (journalist, other_journalist):
        note = Notification.objects.get(recipient=person)
        assert (note.kind, note.article_id, note.actor) == (kind, story.pk, editor)
    assert not Notification.objects.filter(recipient=editor).exists()


def test_a_return_carries_the_editors_comment(story, journalist, editor):
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "return", editor, "أضيفي اسم المسؤول")
    assert Notification.objects.get(recipient=journalist).comment == "أضيفي اسم المسؤول"


def test_nobody_is_notified_of_their_own_move(editor):
    article = ArticleFactory(created_by=editor)
    workflow.transition(article, "submit", editor)
    workflow.transition(article, "publish", editor)
    assert not Notification.objects.exists()


def test_a_refused_move_notifies_nobody(story, journalist):
    with pytest.raises(Exception):  # noqa: B017 (any refusal)
        workflow.transition(story, "publish", journalist)
    assert not Notification.objects.exists()


def test_the_header_counts_what_is_new_and_the_list_opens_and_marks_it_read(client, story, journalist, editor):
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "return", editor, "راجعي العنوان")
    client.force_login(journalist)
    home = client.get(reverse("admin:index")).content.decode()
    assert 'class="desk-count"' in home and ">١<" in home
    listing = client.get(reverse("desk:notifications")).content.decode()
    assert "خبر سارة" in listing and "راجعي العنوان" in listing
    note = Notification.objects.get(recipient=journalist)
    response = client.get(reverse("desk:notification", args=[note.pk]))
    assert response["Location"] == reverse("admin:articles_article_change", args=[story.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'class="desk-count"' not in client.get(reverse("admin:index")).content.decode()


def test_nobody_opens_someone_elses_notification(client, story, journalist, editor, other_journalist):
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "approve", editor)
    note = Notification.objects.get(recipient=journalist)
    client.force_login(editor)
    assert client.get(reverse("desk:notification", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(client, story, journalist, editor):
    workflow.transition(story, "submit", journalist)
    workflow.transition(story, "approve", editor)
    client.force_login(journalist)
    client.post(reverse("desk:notifications"))
    assert not Notification.objects.filter(recipient=journalist, read_at__isnull=True).exists()


def test_mail_goes_out_only_when_configured(settings, django_capture_on_commit_callbacks, editor, journalist):
    journalist.email = "sara@example.org"
    journalist.save()
    settings.MAIL_CONFIGURED = False
    item = BudgetItem(day=date(2026, 12, 5), section=SectionFactory(), working_title="قصة أولى", assignee=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        budget.save_item(item, editor)
    assert mail.outbox == []
    settings.MAIL_CONFIGURED = True
    item = BudgetItem(day=date(2026, 12, 5), section=item.section, working_title="قصة ثانية", assignee=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        budget.save_item(item, editor)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara@example.org"] and "قصة ثانية" in message.subject
    assert f"#item-{item.pk}" in message.body


def test_a_failing_mail_server_keeps_the_assignment_and_its_notification(
    settings, django_capture_on_commit_callbacks, editor, journalist, monkeypatch
):
    from desk import notifications

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    settings.MAIL_CONFIGURED = True
    journalist.email = "sara@example.org"
    journalist.save()
    item = BudgetItem(day=date(2026, 12, 5), section=SectionFactory(), working_title="قصة", assignee=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        budget.save_item(item, editor)
    assert BudgetItem.objects.filter(pk=item.pk).exists()
    assert Notification.objects.filter(recipient=journalist, kind="assigned").exists()
