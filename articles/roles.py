"""The newsroom's roles (Django groups). Their definition is the data migrations that made them
(articles 0002, the security rights of accounts 0002, the desk's of desk 0002); `ensure_roles()` puts them back where a
database was emptied without re-running migrations (a flushed test database, a restored dump)."""

import importlib

from django.contrib.auth.models import Group, Permission

_migration = importlib.import_module("articles.migrations.0002_roles")
_security = importlib.import_module("accounts.migrations.0002_security_roles")
_desk = importlib.import_module("desk.migrations.0002_desk_rights")
ROLES = _migration.ROLES


def ensure_roles() -> None:
    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        _migration.assign_roles(Group, Permission)
        _security.grant(Group, Permission)
        _desk.grant(Group, Permission)
