import django.utils.timezone
from django.db import migrations, models

APPEND_ONLY = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on audit_entry is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""

REMOVE_APPEND_ONLY = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when")),
                ("actor_id", models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="person (id)")),
                ("actor_name", models.CharField(blank=True, max_length=200, verbose_name="person")),
                ("action", models.CharField(db_index=True, max_length=40, verbose_name="action")),
                ("text", models.CharField(blank=True, max_length=500, verbose_name="what happened")),
                ("object_type", models.CharField(blank=True, max_length=100, verbose_name="object type")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="object id")),
                ("object_text", models.CharField(blank=True, max_length=300, verbose_name="object")),
                ("details", models.JSONField(blank=True, default=dict, verbose_name="details")),
                ("address", models.GenericIPAddressField(blank=True, null=True, verbose_name="address")),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit trail",
                "ordering": ["-at", "-id"],
                "default_permissions": ("view",),
                "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_entry_object")],
            },
        ),
        # The database itself refuses to change or remove an entry, whatever code or person asks.
        migrations.RunSQL(APPEND_ONLY, REMOVE_APPEND_ONLY),
    ]
