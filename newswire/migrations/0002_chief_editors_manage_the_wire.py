"""Chief editors manage subscribers, products and keys, and read the delivery log."""

from django.db import migrations

# Read by articles.roles.ensure_roles() too, which restores roles in an emptied database.
ROLE_GRANTS = {
    "Chief editors": [
        *(f"newswire.{action}_{model}" for model in ("subscriber", "product", "apikey") for action in
          ("add", "change", "delete", "view")),
        "newswire.view_delivery", "newswire.change_delivery", "newswire.view_itemversion",
    ],
}


def grant(apps, schema_editor):
    from articles.roles import grant_permissions

    grant_permissions(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("newswire", "0001_subscribers_products_keys_versions"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
