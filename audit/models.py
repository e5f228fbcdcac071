from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import Action


class Entry(models.Model):
    """One event, as it was when it happened. Never changed or deleted: the database refuses it.

    No foreign keys: the person and the object are kept by id and by their text at the time, so
    deleting a story or an account leaves its trail whole (a cascade would erase it, and SET_NULL
    would need an UPDATE, which the trigger refuses).
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("person (id)"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("person"), max_length=200, blank=True)
    # Validated against `Action` by `audit.record()`; no `choices` here, so a new kind of event needs
    # no migration.
    action = models.CharField(_("action"), max_length=40, db_index=True)
    text = models.CharField(_("what happened"), max_length=500, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_text = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_text}"

    def readable_details(self) -> list[tuple[str, str]]:
        from .reading import readable

        return readable(self.details)

    def get_action_display(self) -> str:
        return str(Action(self.action).label) if self.action in Action.values else self.action
