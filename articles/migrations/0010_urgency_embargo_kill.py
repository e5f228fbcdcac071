"""Urgency replaces the breaking flag; embargo; the kill; versions delivered to subscribers.

Mapping of the flag: breaking → urgency 3 (IPTC "urgent", the level the breaking-news strip shows
from), anything else → 5 (normal). Stories already published count as delivered once (version 1,
issued when first published).
"""

from django.conf import settings
from django.db import migrations, models


FORWARD = """
UPDATE articles_article SET urgency = CASE WHEN is_breaking THEN 3 ELSE 5 END;
UPDATE articles_article SET wire_version = 1, issued_at = first_published_at WHERE status = 'published';
"""
BACKWARD = "UPDATE articles_article SET is_breaking = (urgency <= 3);"


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_search_lexicon'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='article',
            options={'ordering': ['-publish_at', '-id'], 'permissions': [('submit_article', 'Can submit a story for review'), ('approve_article', 'Can approve a story'), ('publish_article', 'Can publish a story'), ('unpublish_article', 'Can unpublish a story'), ('kill_article', 'Can kill a story')], 'verbose_name': 'story', 'verbose_name_plural': 'stories'},
        ),
        migrations.RemoveConstraint(
            model_name='article',
            name='article_status_valid',
        ),
        migrations.AddField(
            model_name='article',
            name='embargo_until',
            field=models.DateTimeField(blank=True, help_text='Subscribers may receive the story before this time, marked embargoed; readers see it only from then.', null=True, verbose_name='embargo until'),
        ),
        migrations.AddField(
            model_name='article',
            name='issued_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='version issued'),
        ),
        migrations.AddField(
            model_name='article',
            name='update_note',
            field=models.TextField(blank=True, editable=False, verbose_name='update note'),
        ),
        migrations.AddField(
            model_name='article',
            name='urgency',
            field=models.PositiveSmallIntegerField(choices=[(1, '1 — flash'), (2, '2 — very urgent'), (3, '3 — urgent'), (4, '4 — important'), (5, '5 — normal'), (6, '6 — less important'), (7, '7 — minor'), (8, '8 — background'), (9, '9 — lowest')], default=5, help_text='1 is a flash; 3 or more urgent puts the story in the breaking-news strip; 5 is normal.', verbose_name='urgency'),
        ),
        migrations.AddField(
            model_name='article',
            name='wire_version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='delivered version'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveField(
            model_name='article',
            name='is_breaking',
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('killed', 'Killed')], default='draft', editable=False, max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='from_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('killed', 'Killed')], max_length=16, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='to_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('killed', 'Killed')], max_length=16, verbose_name='to'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('embargo_until__isnull', False)), fields=['embargo_until'], name='article_embargo_idx'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'approved', 'published', 'unpublished', 'killed'])), name='article_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('urgency__gte', 1), ('urgency__lte', 9)), name='article_urgency_iptc'),
        ),
    ]
