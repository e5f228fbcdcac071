"""The newsroom's working queues: the dashboard on the admin home and the story list's "queue" filter."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Article, Byline, Status, Transition

RECENT = timedelta(hours=48)


def latest_transition(field: str) -> Subquery:
    return Subquery(Transition.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id").values(field)[:1])


def owned_by(user) -> Q:
    return Q(created_by=user) | Q(Exists(Byline.objects.filter(article=OuterRef("pk"), author=user)))


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    description: str

    def filter(self, queryset: QuerySet, user, now=None) -> QuerySet:
        now = now or timezone.now()
        queryset = queryset.annotate(last_move=latest_transition("move"), last_comment=latest_transition("comment"))
        match self.key:
            case "mine":
                not_returned = Q(last_move__isnull=True) | ~Q(last_move="return")
                return queryset.filter(owned_by(user), not_returned, status=Status.DRAFT)
            case "returned":
                return queryset.filter(owned_by(user), status=Status.DRAFT, last_move="return")
            case "review":
                return queryset.filter(status=Status.SUBMITTED)
            case "approved":
                return queryset.filter(status=Status.APPROVED)
            case "scheduled":
                return queryset.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")
            case "recent":
                return queryset.filter(status=Status.PUBLISHED, publish_at__lte=now, publish_at__gt=now - RECENT)
        raise ValueError(self.key)


QUEUES = [
    Queue("mine", _("My drafts"), _("Stories you are writing.")),
    Queue("returned", _("Returned to me"), _("An editor sent these back with a comment.")),
    Queue("review", _("Awaiting review"), _("Submitted by journalists, waiting for an editor.")),
    Queue("approved", _("Approved"), _("Ready to publish.")),
    Queue("scheduled", _("Scheduled"), _("Published at a set time that has not come yet.")),
    Queue("recent", _("Recently published"), _("Public in the last 48 hours.")),
]
BY_KEY = {queue.key: queue for queue in QUEUES}


def dashboard(user, limit: int = 5) -> list[dict]:
    """Each queue with its count and first few stories, for the admin home."""
    base = Article.objects.select_related("section").order_by("-updated_at", "-id")
    queues = QUEUES
    if user.has_perm("articles.approve_article"):
        # Editors start their day with what waits for them.
        queues = [BY_KEY[key] for key in ("review", "approved", "scheduled", "recent", "mine", "returned")]
    rows = []
    for queue in queues:
        queryset = queue.filter(base, user)
        rows.append({"queue": queue, "count": queryset.count(), "stories": list(queryset[:limit])})
    return rows


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.key, queue.label) for queue in QUEUES]

    def queryset(self, request, queryset):
        queue = BY_KEY.get(self.value() or "")
        return queue.filter(queryset, request.user) if queue else queryset
