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
    return str(value)


def readable(details: dict) -> list[tuple[str, str]]:
    return [
        (str(LABELS.get(key, key)), _value(key, value))
        for key, value in (details or {}).items()
        if value not in (None, "", [])
    ]
