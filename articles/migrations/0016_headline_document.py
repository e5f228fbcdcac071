"""The headline's own search vector and index, and no pending list in the search indexes.

`headline_document` holds weight A of `search_document` (the headline, Arabic and English): the
search ranks the newest headline matches however many body matches there are, and finds them in
this small index. Filled here from the stored documents, so no reindex is needed.

GIN's fast update queues new entries in a pending list that every search scans until VACUUM
merges it; stories are saved far less often than searched, so each save updates the index itself.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

FILL = "UPDATE articles_article SET headline_document = ts_filter(search_document, '{a}') WHERE search_document IS NOT NULL"


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_story_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="headline_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fastupdate=False, fields=["headline_document"], name="article_headline_search_idx"
            ),
        ),
        # The state drops and adds the index; the database only changes its storage parameter.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER INDEX article_search_idx SET (fastupdate = off);"
                    " SELECT gin_clean_pending_list('article_search_idx'::regclass);",
                    "ALTER INDEX article_search_idx RESET (fastupdate);",
                )
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="article", name="article_search_idx"),
                migrations.AddIndex(
                    model_name="article",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False, fields=["search_document"], name="article_search_idx"
                    ),
                ),
            ],
        ),
    ]
