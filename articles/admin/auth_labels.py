"""Roles and permissions named in the person's language wherever the admin shows them.

Django writes a permission's name into the database once, in English ("Can add story"), and
shows that text as it is; groups show their stored names. The newsroom's groups keep their
contract names (Journalists, Editors, Chief editors: code and other systems rely on them) and
both are translated when they are shown, so the group and staff pages, filters and history read
in Arabic for Arabic staff and in English for English staff.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The names of the roles made by articles/migrations/0002_roles.py, for the catalogue.
ROLE_NAMES = {
    "Journalists": _("Journalists"),
    "Editors": _("Editors"),
    "Chief editors": _("Chief editors"),
}

# Django's four default permissions, whose stored names are "Can <action> <verbose name>".
DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def role_label(group: Group) -> str:
    return str(ROLE_NAMES.get(group.name, group.name))


def permission_label(permission: Permission) -> str:
    """The permission's name in the active language (its content type is already translated)."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        name = DEFAULT_ACTIONS[action] % {"model": model._meta.verbose_name}
    else:
        # Custom permissions declare their names with gettext_lazy: the stored text is the msgid.
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


def install() -> None:
    Group.__str__ = role_label
    Permission.__str__ = permission_label
