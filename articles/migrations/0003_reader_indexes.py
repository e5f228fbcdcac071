"""An index for the reader's pages: a section's newest stories, read backwards from the index.

Raw SQL rather than a model index, so the model state (owned by the content model) is unchanged.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_roles")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS article_section_publish_idx "
            "ON articles_article (section_id, publish_at DESC, id DESC)",
            reverse_sql="DROP INDEX IF EXISTS article_section_publish_idx",
        ),
    ]
