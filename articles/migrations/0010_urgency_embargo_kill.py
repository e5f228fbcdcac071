"""Urgency beside the breaking flag; embargo; the kill; versions delivered to subscribers.

Three migrations, each its own transaction: the new columns (this one), the data moved into them
(0011), then the old flag dropped and the constraints changed (0012). Updating every story and
altering its table in one transaction fails on a populated database ("pending trigger events").
"""

from django.conf import settings
from django.db import migrations, models


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
    ]
