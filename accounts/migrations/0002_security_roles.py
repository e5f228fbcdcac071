"""Sign-in locks (a view of django-axes' records) and what chief editors get to keep the newsroom
safe: the audit trail and the locks. Two-factor resets need no permission of their own: they are
a change to a member of staff's account (accounts.change_user, within accounts.rights)."""

from django.db import migrations

GRANTS = {
    "Chief editors": ["audit.view_entry", "accounts.view_signinlock", "accounts.delete_signinlock"],
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
    for label in ("accounts", "audit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("articles", "0002_roles"),
        ("audit", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignInLock",
            fields=[],
            options={
                "verbose_name": "sign-in lock",
                "verbose_name_plural": "sign-in locks",
                "proxy": True,
                "default_permissions": ("view", "delete"),
                "indexes": [],
                "constraints": [],
            },
            bases=("axes.accessattempt",),
        ),
        migrations.RunPython(grant_rights, migrations.RunPython.noop),
    ]
