"""The newsroom's roles as Django groups. Code checks the permissions, never the group names."""

from django.db import migrations

JOURNALIST = [
    "articles.add_article", "articles.view_article", "articles.submit_article",
    "articles.add_attribution", "articles.change_attribution", "articles.delete_attribution", "articles.view_attribution",
    "articles.add_byline", "articles.change_byline", "articles.delete_byline", "articles.view_byline",
    "articles.view_section", "articles.add_source", "articles.view_source",
    "articles.add_tag", "articles.view_tag",
    "articles.add_image", "articles.view_image",
    "articles.view_correction", "articles.view_revision", "articles.view_transition",
]
EDITOR = JOURNALIST + [
    "articles.change_article", "articles.approve_article", "articles.publish_article", "articles.unpublish_article",
    "articles.add_section", "articles.change_section", "articles.view_section",
    "articles.change_source", "articles.change_tag", "articles.delete_tag",
    "articles.change_image",
    "articles.add_correction", "articles.change_correction",
]
CHIEF = EDITOR + [
    "articles.view_source_identity", "articles.delete_source", "articles.delete_section",
    "accounts.add_user", "accounts.change_user", "accounts.view_user",
    "auth.view_group", "auth.change_group",
]
ROLES = {"Journalists": JOURNALIST, "Editors": EDITOR, "Chief editors": CHIEF}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    assign_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def assign_roles(Group, Permission):
    """Create the groups and give each exactly its permissions (which must exist already)."""
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set(codes)
        perms = [
            perm
            for perm in Permission.objects.select_related("content_type")
            if f"{perm.content_type.app_label}.{perm.codename}" in wanted
        ]
        missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in perms}
        if missing:
            raise RuntimeError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
