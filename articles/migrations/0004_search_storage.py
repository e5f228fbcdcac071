"""Keep search documents in the table row instead of the TOAST table.

A document is ~2 kB, just over the TOAST threshold: stored out of line, ranking a query that
matches 15,000 stories fetched 15,000 TOAST rows and took three times as long (bench/search.py).
STORAGE MAIN keeps it in the row, compressed; lz4, where the server has it, decompresses faster
than pglz. Applies to documents written from now on: `manage.py reindex` rewrites old ones.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE articles_article ALTER COLUMN search_document SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE articles_article ALTER COLUMN search_document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    NULL;  -- a server built without lz4 keeps pglz
END $$;
"""

BACKWARD = """
ALTER TABLE articles_article ALTER COLUMN search_document SET STORAGE EXTENDED;
ALTER TABLE articles_article ALTER COLUMN search_document SET COMPRESSION DEFAULT;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_reader_indexes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
