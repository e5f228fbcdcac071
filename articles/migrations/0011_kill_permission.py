"""Editors and chief editors may kill a story."""

from django.db import migrations

# Read by articles.roles.ensure_roles() too, which restores roles in an emptied database.
ROLE_GRANTS = {
    "Editors": ["articles.kill_article"],
    "Chief editors": ["articles.kill_article"],
}


def grant(apps, schema_editor):
    from articles.roles import grant_permissions

    grant_permissions(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_urgency_embargo_kill")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
