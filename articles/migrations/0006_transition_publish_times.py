from django.db import migrations, models


class Migration(migrations.Migration):
    """A move that changes when a story goes public (publish, reschedule) records both times;
    workflow comments are bounded."""

    dependencies = [
        ("articles", "0005_preview_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="transition",
            name="old_publish_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="publication time before"),
        ),
        migrations.AddField(
            model_name="transition",
            name="new_publish_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="publication time after"),
        ),
        migrations.AlterField(
            model_name="transition",
            name="comment",
            field=models.TextField(blank=True, max_length=2000, verbose_name="comment"),
        ),
    ]
