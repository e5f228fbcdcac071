"""Tags get an English name through modeltranslation; the Arabic name is the one they had.

The untranslated `name` column stays: taggit finds tags by it, and `Tag.save()` keeps it equal to
`name_ar`.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_transition_publish_times")]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="name_ar",
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="tag",
            name="name_en",
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name="name"),
        ),
        migrations.RunSQL(
            "UPDATE articles_tag SET name_ar = name WHERE name_ar IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.CheckConstraint(
                condition=models.Q(("name_ar__isnull", False), models.Q(("name_ar", ""), _negated=True)),
                name="tag_name_ar_required",
            ),
        ),
    ]
