"""What is new for me: notifications in the admin, and by mail when mail is configured.

`notify()` writes inside the caller's transaction (a rolled-back assignment or move notifies
nobody) and sends its mail only after commit; a mail server that fails is logged, never raised.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import BudgetItem, Notification

log = logging.getLogger(__name__)

# Moves on a story that its own people hear about.
MOVE_KINDS = {
    "return": Notification.Kind.RETURNED,
    "approve": Notification.Kind.APPROVED,
    "publish": Notification.Kind.PUBLISHED,
}


def notify(recipient, kind: str, *, actor=None, article=None, budget_item: BudgetItem | None = None, comment=""):
    """Tell one person; nobody is told about what they did themselves."""
    if recipient is None or not recipient.is_active or (actor is not None and recipient.pk == actor.pk):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, article=article, budget_item=budget_item, comment=comment
    )
    if settings.MAIL_CONFIGURED and recipient.email:
        transaction.on_commit(lambda: _mail(notification))
    return notification


def _owners(article) -> list:
    from django.contrib.auth import get_user_model

    ids = {article.created_by_id, *article.bylines.values_list("author_id", flat=True)} - {None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def story_moved(sender, *, article, move, transition, **kwargs) -> None:
    """Receiver of `articles.signals.story_moved`: the story's journalists hear of its return,
    approval and publication."""
    kind = MOVE_KINDS.get(move.name)
    if kind is None:
        return
    for person in _owners(article):
        notify(person, kind, actor=transition.by, article=article, comment=transition.comment)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    """Mark this person's notifications read (all, or those ids); returns how many changed."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def target_url(notification: Notification) -> str:
    if notification.article_id:
        return reverse("admin:articles_article_change", args=[notification.article_id])
    if notification.budget_item_id:
        item = notification.budget_item
        return reverse("admin:desk_budgetitem_changelist") + f"?day={item.day.isoformat()}#item-{item.pk}"
    return reverse("desk:notifications")


def _mail(notification: Notification) -> None:
    recipient = notification.recipient
    with translation.override(recipient.admin_language or settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "url": settings.SITE_URL + target_url(notification),
        }
        subject = " ".join(render_to_string("desk/notification_subject.txt", context).split())
        body = render_to_string("desk/notification_email.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:
        # The notification is in the admin already; a mail server that is down costs only the mail.
        log.exception("Notification %s could not be mailed to %s", notification.pk, recipient.pk)
