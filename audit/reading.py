"""An entry's details as a person reads them: labelled in their language, codes turned into names.

The stored details stay as recorded (codes, ids, English keys), so exports and filters are stable
whatever the interface language.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "move": _("move"),
    "source": _("from"),
    "comment": _("comment"),
    "fields": _("fields changed"),
    "role": _("role"),
    "role_before": _("role before"),
    "mailed": _("sent by e-mail"),
    "second_factor": _("second step"),
    "username": _("sign-in name typed"),
    "revision": _("revision"),
    "restored": _("revision restored"),
    "note": _("note"),
    "added": _("permissions added"),
    "removed": _("permissions removed"),
    "story": _("story"),
    "page": _("page"),
    "route": _("address requested"),
    "through": _("through"),
    "idle_minutes": _("minutes without activity"),
    "locked_address": _("locked address"),
    "person": _("person"),
    "day": _("day"),
    "entry": _("entry"),
    "key": _("key begins with"),
    "name": _("name"),
    "link": _("link"),
    "expires": _("expires"),
}
SECOND_STEPS = {
    "authenticator": _("authenticator app"),
    "recovery_code": _("recovery code"),
    "password": _("password only"),
}


def _value(key: str, value) -> str:
    from accounts.forms import ROLE_LABELS
    from articles.models import Status
    from articles.workflow import MOVES

    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "، ".join(_value(key, item) for item in value)
    if key == "move" and value in MOVES:
        return str(MOVES[value].label)
    if key == "source" and value in Status.values:
        return str(Status(value).label)
    if key in ("role", "role_before") and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if key == "second_factor" and value in SECOND_STEPS:
        return str(SECOND_STEPS[value])
    if key == "role" and value in ("assignee", "photographer"):
        from desk.models import BudgetItem

        return str(BudgetItem._meta.get_field(value).verbose_name)
    if key in ("expires", "day") and isinstance(value, str):
        return _date(value)
    return str(value)


def _date(value: str) -> str:
    """A recorded date or time (ISO, as stored) as the agency writes dates."""
    from datetime import date, datetime, time

    from django.utils import timezone
    from django.utils.translation import get_language

    from articles.arabic import format_datetime

    try:
        if "T" in value:
            return format_datetime(datetime.fromisoformat(value), get_language())
        noon = timezone.make_aware(datetime.combine(date.fromisoformat(value), time(12)))
        return format_datetime(noon, get_language(), with_time=False)
    except ValueError:
        return value


def readable(details: dict) -> list[tuple[str, str]]:
    return [
        (str(LABELS.get(key, key)), _value(key, value))
        for key, value in (details or {}).items()
        if value not in (None, "", [])
    ]
