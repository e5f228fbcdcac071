"""The breaking flag becomes urgency: breaking → 3 (IPTC "urgent", the level the breaking-news
strip shows from), anything else → 5 (normal). Stories already published count as delivered once
(version 1, issued when first published)."""

from django.db import migrations

FORWARD = """
UPDATE articles_article SET urgency = CASE WHEN is_breaking THEN 3 ELSE 5 END;
UPDATE articles_article SET wire_version = 1, issued_at = first_published_at WHERE status = 'published';
"""
BACKWARD = "UPDATE articles_article SET is_breaking = (urgency <= 3);"


class Migration(migrations.Migration):

    dependencies = [('articles', '0010_urgency_embargo_kill')]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
