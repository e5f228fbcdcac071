"""Indexes for the admin's story list at 100,000 stories and for the dashboard's figures.

Built concurrently, so a live newsroom keeps saving stories while they are made.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0014_rendition_files_in_a_folder_per_image")]

    operations = [
        AddIndexConcurrently("article", models.Index(fields=["publish_at", "id"], name="article_list_order_idx")),
        AddIndexConcurrently("article", models.Index(fields=["updated_at"], name="article_updated_idx")),
        AddIndexConcurrently(
            "article", models.Index(fields=["urgency", "publish_at", "id"], name="article_urgency_idx")
        ),
        AddIndexConcurrently(
            "article",
            models.Index(fields=["publish_at", "id"], name="article_featured_idx", condition=Q(is_featured=True)),
        ),
        AddIndexConcurrently(
            "article",
            models.Index(fields=["first_published_at", "section"], name="article_first_published_idx"),
        ),
    ]
