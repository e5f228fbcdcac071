"""The story budget: what the desk plans for a day, who writes it, and the story it becomes.

Every change to an item goes through a function here; the admin only validates input and calls
them. An item's status follows what happens (assigning, starting the story, the story's moves),
except dropping, which is an editor's decision.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from articles import editing
from articles.models import Article, Section

from . import notifications, permissions
from .models import BudgetItem, Notification

Status = BudgetItem.Status
# Where an item stands once its story makes a move: filed once the journalist hands it in.
AFTER_MOVE = {
    "submit": Status.FILED,
    "approve": Status.FILED,
    "publish": Status.FILED,
    "withdraw": Status.IN_PROGRESS,
    "return": Status.IN_PROGRESS,
    "reopen": Status.IN_PROGRESS,
}
# Statuses that assigning someone leaves alone (the work has started or was called off).
SETTLED = {Status.IN_PROGRESS, Status.FILED, Status.DROPPED}


def save_item(item: BudgetItem, by, *, before: BudgetItem | None = None) -> BudgetItem:
    """Save a new or changed item; whoever it newly assigns is notified.

    `before` is the item as it was stored (None for a new one), so only a change of person
    notifies. The status follows: assigned when someone is on it, planned otherwise.
    """
    if not permissions.can_plan(by):
        raise PermissionDenied(_("You cannot plan the budget."))
    with transaction.atomic():
        if item.pk is None:
            item.created_by = by
        if item.status not in SETTLED:
            item.status = Status.ASSIGNED if item.assignee_id or item.photographer_id else Status.PLANNED
        item.updated_at = timezone.now()
        item.save()
        for role in ("assignee", "photographer"):
            person_id = getattr(item, f"{role}_id")
            if person_id and person_id != getattr(before, f"{role}_id", None):
                person = getattr(item, role)
                notifications.notify(person, Notification.Kind.ASSIGNED, actor=by, budget_item=item)
                audit.record("budget_assigned", by=by, obj=item, role=role, person=str(person), day=item.day)
    return item


def start_story(item: BudgetItem, by) -> Article:
    """Make the item's story, one draft, linked both ways, owned by the assigned journalist.

    The draft carries the working title and section; the item is then in progress. Raises
    `PermissionDenied` for someone who may not, `ValidationError` if the item already has a
    story or was dropped (someone else clicked first).
    """
    with transaction.atomic():
        locked = BudgetItem.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=item.pk)
        if locked.article_id is not None:
            raise ValidationError(_("This item has a story already."), code="already_started")
        if not permissions.can_start_story(by, locked):
            raise PermissionDenied(_("You cannot start a story from this item."))
        writer = locked.assignee or by
        article = Article(headline_ar=locked.working_title, section=locked.section)
        editing.create_story(article, by, editing.Edit(authors=[writer.pk]))
        locked.article = article
        locked.status = Status.IN_PROGRESS
        locked.updated_at = timezone.now()
        locked.save(update_fields=["article", "status", "updated_at"])
        audit.record("budget_started", by=by, obj=locked, story=article.pk)
    item.article, item.status = article, locked.status
    return article


def set_dropped(item: BudgetItem, by, dropped: bool) -> BudgetItem:
    """Drop an item from the day's plan, or take it back."""
    if not permissions.can_plan(by):
        raise PermissionDenied(_("You cannot plan the budget."))
    with transaction.atomic():
        locked = BudgetItem.objects.select_for_update().get(pk=item.pk)
        if dropped:
            locked.status = Status.DROPPED
        elif locked.status == Status.DROPPED:
            locked.status = Status.IN_PROGRESS if locked.article_id else Status.PLANNED
            if locked.status == Status.PLANNED and (locked.assignee_id or locked.photographer_id):
                locked.status = Status.ASSIGNED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
    item.status = locked.status
    return locked


def story_moved(sender, *, article, move, **kwargs) -> None:
    """Receiver of `articles.signals.story_moved`: the item follows its story."""
    status = AFTER_MOVE.get(move.name)
    if status is not None:
        BudgetItem.objects.filter(article=article).exclude(status=Status.DROPPED).update(
            status=status, updated_at=timezone.now()
        )


@dataclass
class SectionBudget:
    section: Section
    items: list[BudgetItem] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(1 for item in self.items if item.status != Status.DROPPED)

    @property
    def filed(self) -> int:
        return sum(1 for item in self.items if item.status == Status.FILED)


def day_budget(day: date, section: Section | None = None) -> list[SectionBudget]:
    """The day's items per section, in the sections' order; sections without items are left out."""
    items = (
        BudgetItem.objects.filter(day=day)
        .select_related("section", "assignee", "photographer", "article")
        .order_by("section__position", "section_id", "due_time", "id")
    )
    if section is not None:
        items = items.filter(section=section)
    grouped: dict[int, SectionBudget] = {}
    for item in items:
        grouped.setdefault(item.section_id, SectionBudget(item.section)).items.append(item)
    return list(grouped.values())
