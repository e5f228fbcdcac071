"""The desk's records: the story budget, notifications, live coverage and autosaved drafts.

Models hold fields and small derived values; every change goes through the module that owns it
(`budget`, `notifications`, `live`, `autosave`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BudgetItem(models.Model):
    """One story planned for a day: what, by whom, how long, by when; it becomes a story."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        FILED = "filed", _("Filed")
        DROPPED = "dropped", _("Dropped")

    day = models.DateField(_("day"), db_index=True)
    section = models.ForeignKey(
        "articles.Section", verbose_name=_("section"), on_delete=models.PROTECT, related_name="budget_items"
    )
    working_title = models.CharField(_("working title"), max_length=250)
    angle = models.TextField(_("angle"), blank=True, help_text=_("What the story says that others do not."))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("journalist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_assignments",
    )
    photographer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("photographer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_photo_assignments",
    )
    expected_words = models.PositiveIntegerField(_("expected length (words)"), null=True, blank=True)
    due_time = models.TimeField(_("due at"), null=True, blank=True, help_text=_("Damascus time, on the item's day."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_item",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["day", "section__position", "due_time", "id"]
        verbose_name = _("budget item")
        verbose_name_plural = _("story budget")
        constraints = [
            models.CheckConstraint(condition=~Q(working_title=""), name="budget_item_title_required"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "assigned", "in_progress", "filed", "dropped"]),
                name="budget_item_status_valid",
            ),
        ]

    def __str__(self):
        return self.working_title


class Notification(models.Model):
    """Something new for one person: an assignment, or a move made on one of their stories."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to you")
        RETURNED = "returned", _("Returned to you for changes")
        APPROVED = "approved", _("Your story was approved")
        PUBLISHED = "published", _("Your story was published")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("for")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    budget_item = models.ForeignKey(
        BudgetItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("budget item")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        default_permissions = ()
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        return str(self.article or self.budget_item or "")


class LiveCoverage(models.Model):
    """A story run as a live page. Coverage ends but its entries stay on the page."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="live", verbose_name=_("story")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")
        # desk.run_live decides who runs live pages.
        default_permissions = ()

    def __str__(self):
        return str(self.article)

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


class LiveEntry(models.Model):
    """One timestamped entry of a live page: text, a picture or a quote."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        PICTURE = "picture", _("Picture")
        QUOTE = "quote", _("Quote")

    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(_("text"), blank=True)
    image = models.ForeignKey(
        "articles.Image", verbose_name=_("picture"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quote_by = models.CharField(_("quoted person"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    # Removed entries leave the page but keep their revisions.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["text", "picture", "quote"]), name="live_entry_kind_valid"),
            # What a reader sees is never empty: text, or a picture.
            models.CheckConstraint(condition=~Q(text="") | Q(image__isnull=False), name="live_entry_not_empty"),
        ]

    def __str__(self):
        return self.text[:80] or str(self.image)


class LiveEntryRevision(models.Model):
    """A live entry as it read after one change. Never edited or deleted by the application."""

    entry = models.ForeignKey(LiveEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-number"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="live_entry_revision_unique")]

    def __str__(self):
        return f"#{self.number}"


class AutosaveDraft(models.Model):
    """What one person had typed in one story form and not yet saved.

    Never a revision and never the story: `base_version` is the story version the form was loaded
    at, so a draft made before someone else's save is offered as a draft, never written over it.
    A new story's form has no article yet: its drafts are told apart by `form_key`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=64, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], condition=Q(article__isnull=False), name="autosave_one_per_story"
            ),
            models.UniqueConstraint(
                fields=["user", "form_key"], condition=Q(article__isnull=True), name="autosave_one_per_new_form"
            ),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.article_id or self.form_key}"


class DeskRights(models.Model):
    """Holds the desk's own permissions (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_figures", _("Can see the desk's figures")),
            ("run_live", _("Can run live coverage")),
        ]

    def __str__(self):
        return "desk"
