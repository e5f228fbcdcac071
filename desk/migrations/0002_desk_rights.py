"""The desk's rights for the newsroom's roles: everyone reads the budget and the calendar; editors
and chief editors plan it, run live pages and see the desk's figures. `articles.roles` finds
ROLE_GRANTS here to put them back in an emptied database."""

from django.db import migrations

PLANNING = [
    "desk.add_budgetitem", "desk.change_budgetitem", "desk.delete_budgetitem", "desk.view_budgetitem",
    "desk.run_live", "desk.view_figures",
]
ROLE_GRANTS = {
    "Journalists": ["desk.view_budgetitem"],
    "Editors": PLANNING,
    "Chief editors": PLANNING,
}


def grant_rights(apps, schema_editor):
    from articles.roles import grant_permissions

    grant_permissions(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_rights, migrations.RunPython.noop)]
