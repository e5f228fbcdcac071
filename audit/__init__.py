"""The append-only audit trail. Everything that should leave a trace calls one function:

    audit.record(action, *, by, obj=None, request=None, text="", **details)

- `action`: an `audit.actions.Action` value ("story_moved", "login_failed", …); an unknown code raises
  ValueError, so a typo fails in tests rather than writing a row nobody can filter on.
- `by`: the person who did it (a user, or None for an anonymous attempt).
- `obj`: what it was done to (any model instance), kept as type, id and its text at the time.
- `request`: where the client address comes from; without it, the address of the request being
  served (set by `audit.middleware.ClientAddressMiddleware`), if any.
- `text`: a readable sentence; by default the action's name.
- `details`: anything JSON-serialisable worth keeping (a comment, the states of a move, a username).

Call it inside the transaction of the change it records: a change rolled back leaves no entry, and
a change committed always has one.
"""

from typing import Any


def record(action: str, *, by=None, obj=None, request=None, text: str = "", **details: Any):
    from django.utils import translation

    from accounts.addresses import client_address

    from . import middleware
    from .actions import Action
    from .models import Entry

    kind = Action(action)
    person = by if by is not None and getattr(by, "is_authenticated", False) else None
    address = client_address(request) if request is not None else middleware.current_address()
    with translation.override("ar"):
        # Kept as it read at the time, in the newsroom's language, whatever the viewer's is later.
        text = str(text or kind.label)
        object_text = str(obj)[:300] if obj is not None else ""
        actor_name = _person(person)[:200] if person is not None else ""
    return Entry.objects.create(
        actor_id=person.pk if person is not None else None,
        actor_name=actor_name,
        action=kind.value,
        text=text[:500],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_text=object_text,
        details=_json_safe(details),
        address=address or None,
    )


def _json_safe(details: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(details, cls=DjangoJSONEncoder))


def _person(user) -> str:
    name, username = str(user), user.get_username()
    return name if name == username else f"{name} ({username})"
