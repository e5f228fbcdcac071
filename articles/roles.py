"""The newsroom's roles (Django groups). Their definition is the data migrations that made them:
`0002_roles` creates the groups; accounts' `0002_security_roles` grants the security rights; and
any later migration of any app may add permissions to them by declaring `ROLE_GRANTS = {group
name: ["app.codename", …]}` and calling `grant_permissions()`.

`ensure_roles()` puts them back where a database was emptied without re-running migrations (a
flushed test database, a restored dump), grants included: it finds them by scanning every app's
migrations, so renumbering a migration changes nothing.
"""

import importlib
import pkgutil

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

_migration = importlib.import_module("articles.migrations.0002_roles")
_security = importlib.import_module("accounts.migrations.0002_security_roles")
ROLES = _migration.ROLES


def _grants_in_migrations() -> list[dict[str, list[str]]]:
    found = []
    for config in global_apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ImportError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda module: module.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if isinstance(getattr(module, "ROLE_GRANTS", None), dict):
                found.append(module.ROLE_GRANTS)
    return found


def _grant(Group, Permission, grants: dict[str, list[str]]) -> None:
    for name, codes in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = set(codes)
        perms = [
            perm
            for perm in Permission.objects.select_related("content_type")
            if f"{perm.content_type.app_label}.{perm.codename}" in wanted
        ]
        missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in perms}
        if missing:
            raise RuntimeError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.add(*perms)


def grant_permissions(apps, grants: dict[str, list[str]]) -> None:
    """For data migrations: add these permissions to these groups (creating the permissions first)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    _grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), grants)


def ensure_roles() -> None:
    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        _migration.assign_roles(Group, Permission)
        _security.grant(Group, Permission)
        for grants in _grants_in_migrations():
            _grant(Group, Permission, grants)
