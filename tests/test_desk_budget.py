"""The story budget: planning, assigning (with a notification), one click from item to story, and
the item following its story through the workflow."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import permissions as story_permissions
from articles import workflow
from articles.models import Article, Status
from desk import budget
from desk.models import BudgetItem, Notification

from .factories import BudgetItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def plan(by, **fields):
    item = BudgetItem(**{"day": timezone.localdate(), "section": SectionFactory(), "working_title": "خطة", **fields})
    return budget.save_item(item, by)


def test_editor_plans_tomorrow_in_the_admin_and_the_journalist_is_notified(client, editor, journalist):
    section = SectionFactory(slug="syria")
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(editor)
    response = client.post(
        reverse("admin:desk_budgetitem_add"),
        {
            "day": tomorrow.isoformat(),
            "section": section.pk,
            "working_title": "عودة الحركة إلى معبر نصيب",
            "angle": "شهادات السائقين",
            "assignee": journalist.pk,
            "expected_words": "600",
            "due_time": "14:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = BudgetItem.objects.get()
    assert (item.day, item.due_time, item.status) == (tomorrow, time(14, 0), BudgetItem.Status.ASSIGNED)
    note = Notification.objects.get(recipient=journalist)
    assert (note.kind, note.budget_item, note.actor) == ("assigned", item, editor)
    page = client.get(reverse("admin:desk_budgetitem_changelist") + f"?day={tomorrow.isoformat()}")
    assert "عودة الحركة إلى معبر نصيب" in page.content.decode()


def test_reassigning_notifies_only_the_new_person(editor, journalist, other_journalist):
    item = plan(editor, assignee=journalist)
    before = BudgetItem.objects.get(pk=item.pk)
    item.angle = "زاوية أخرى"
    budget.save_item(item, editor, before=before)
    assert Notification.objects.filter(recipient=journalist).count() == 1
    before = BudgetItem.objects.get(pk=item.pk)
    item.assignee = other_journalist
    budget.save_item(item, editor, before=before)
    assert Notification.objects.filter(recipient=other_journalist, kind="assigned").count() == 1
    assert Notification.objects.filter(recipient=journalist).count() == 1


def test_a_journalist_cannot_plan_the_budget(client, journalist):
    with pytest.raises(PermissionDenied):
        plan(journalist)
    client.force_login(journalist)
    assert client.get(reverse("admin:desk_budgetitem_add")).status_code == 403
    assert client.get(reverse("admin:desk_budgetitem_changelist")).status_code == 200


def test_a_refused_item_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:desk_budgetitem_add"), {"working_title": "عنوان بلا قسم", "day": "غدا"})
    assert response.status_code == 200
    assert "عنوان بلا قسم" in response.content.decode()
    assert not BudgetItem.objects.exists()


def test_the_assigned_journalist_starts_the_story_in_one_click_and_it_links_back(client, editor, journalist):
    item = plan(editor, assignee=journalist, working_title="أسعار الخبز بعد رفع الدعم")
    client.force_login(journalist)
    response = client.post(reverse("admin:desk_budgetitem_start", args=[item.pk]))
    item.refresh_from_db()
    article = item.article
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    assert (article.headline_ar, article.section, article.status) == (item.working_title, item.section, "draft")
    assert item.status == BudgetItem.Status.IN_PROGRESS
    assert story_permissions.can_edit(journalist, article), "the assigned journalist owns the story"
    assert article.revisions.count() == 1
    form = client.get(response["Location"]).content.decode()
    assert f"#item-{item.pk}" in form, "the story links back to its budget item"


def test_an_item_becomes_one_story_only(editor, journalist):
    item = plan(editor, assignee=journalist)
    budget.start_story(item, journalist)
    with pytest.raises(ValidationError):
        budget.start_story(BudgetItem.objects.get(pk=item.pk), editor)
    assert Article.objects.count() == 1


def test_another_journalist_cannot_start_someone_elses_item(client, editor, journalist, other_journalist):
    item = plan(editor, assignee=journalist)
    client.force_login(other_journalist)
    assert client.post(reverse("admin:desk_budgetitem_start", args=[item.pk])).status_code == 403
    assert not Article.objects.exists()


def test_the_item_is_filed_when_its_story_is_submitted_and_back_in_progress_when_returned(editor, journalist):
    item = plan(editor, assignee=journalist)
    article = budget.start_story(item, journalist)
    workflow.transition(article, "submit", journalist)
    item.refresh_from_db()
    assert item.status == BudgetItem.Status.FILED
    workflow.transition(article, "return", editor, "أضيفي مصدرًا")
    item.refresh_from_db()
    assert item.status == BudgetItem.Status.IN_PROGRESS


def test_dropping_takes_an_item_out_of_the_planned_count(client, editor):
    item = plan(editor)
    BudgetItemFactory(day=item.day, section=item.section)
    client.force_login(editor)
    client.post(reverse("admin:desk_budgetitem_drop", args=[item.pk]), {"dropped": "1"})
    item.refresh_from_db()
    assert item.status == BudgetItem.Status.DROPPED
    groups = budget.day_budget(item.day)
    assert [group.planned for group in groups] == [1]
    client.post(reverse("admin:desk_budgetitem_drop", args=[item.pk]), {"dropped": "0"})
    item.refresh_from_db()
    assert item.status == BudgetItem.Status.PLANNED


def test_the_budget_page_shows_one_day_grouped_by_section(client, editor):
    day = date(2026, 12, 5)
    first, second = SectionFactory(name_ar="سوريا", position=0), SectionFactory(name_ar="اقتصاد", position=1)
    BudgetItemFactory(day=day, section=second, working_title="قصة الاقتصاد")
    BudgetItemFactory(day=day, section=first, working_title="قصة سوريا")
    BudgetItemFactory(day=day + timedelta(days=1), section=first, working_title="قصة الغد")
    client.force_login(editor)
    html = client.get(reverse("admin:desk_budgetitem_changelist") + "?day=2026-12-05").content.decode()
    assert html.index("قصة سوريا") < html.index("قصة الاقتصاد")
    assert "قصة الغد" not in html
    assert "السبت ٥ كانون الأول ٢٠٢٦" in html


def test_a_story_submitted_without_a_budget_item_changes_no_item(editor, journalist):
    from .factories import ArticleFactory

    item = plan(editor, assignee=journalist)
    article = ArticleFactory(created_by=journalist)
    workflow.transition(article, "submit", journalist)
    item.refresh_from_db()
    assert item.status == BudgetItem.Status.ASSIGNED
    assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED


def test_the_calendar_shows_planned_items_scheduled_stories_and_embargoes_by_day(client, editor):
    from datetime import datetime

    from .factories import ArticleFactory

    zone = timezone.get_current_timezone()
    saturday = date(2026, 12, 5)
    section = SectionFactory(name_ar="سوريا")
    BudgetItemFactory(day=saturday, section=section, working_title="قصة السبت", due_time=time(9, 30))
    BudgetItemFactory(day=saturday, section=section, working_title="قصة ملغاة", status=BudgetItem.Status.DROPPED)
    later = datetime(2026, 12, 7, 18, 0, tzinfo=zone)
    ArticleFactory(status=Status.PUBLISHED, publish_at=later, first_published_at=later, headline_ar="خبر مجدول")
    ArticleFactory(
        status=Status.PUBLISHED,
        publish_at=later,
        first_published_at=later,
        embargo_until=later,
        headline_ar="خبر محظور حتى الإثنين",
        section=section,
    )
    client.force_login(editor)
    html = client.get(reverse("desk:calendar") + "?day=2026-12-08").content.decode()
    assert "السبت ٥ كانون الأول ٢٠٢٦" in html and "الجمعة ١١ كانون الأول ٢٠٢٦" in html, "Saturday to Friday"
    assert "قصة السبت" in html and "٠٩:٣٠" in html and "قصة ملغاة" not in html
    assert "خبر مجدول" in html and "خبر محظور حتى الإثنين" in html and "رفع الحظر" in html
    assert "هـ" in html, "the Hijri date beside the Gregorian"
    day = client.get(reverse("desk:calendar") + f"?day=2026-12-05&view=day&section={section.slug}").content.decode()
    assert "قصة السبت" in day and "خبر مجدول" not in day
