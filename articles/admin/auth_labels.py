"""Roles and permissions named in the person's language wherever the admin shows them.

Django writes a permission's name into the database once, in English ("Can add story"), and
shows that text as it is; groups show their stored names. The newsroom's groups keep their
contract names (Journalists, Editors, Chief editors: code and other systems rely on them), so
both are translated when they are shown — in filters, history and every list — with the labels
the staff pages use (accounts.forms), so a role reads the same everywhere.
"""

from django.contrib.auth.models import Group, Permission

from accounts.forms import permission_label, role_label


def install() -> None:
    Group.__str__ = role_label
    Permission.__str__ = permission_label
