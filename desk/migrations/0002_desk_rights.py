"""The desk's rights for the newsroom's roles: everyone reads the budget and the calendar; editors
and chief editors plan it, run live pages and see the desk's figures."""

from django.db import migrations

PLANNING = [
    "desk.add_budgetitem", "desk.change_budgetitem", "desk.delete_budgetitem", "desk.view_budgetitem",
    "desk.run_live", "desk.view_figures",
]
GRANTS = {
    "Journalists": ["desk.view_budgetitem"],
    "Editors": PLANNING,
    "Chief editors": PLANNING,
}


def grant(Group, Permission):
    """Add GRANTS to the roles (which must exist, with these permissions already made)."""
    for name, codes in GRANTS.items():
        group = Group.objects.get(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def grant_rights(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the grants need them now.
    app_config = apps.get_app_config("desk")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_rights, migrations.RunPython.noop)]
