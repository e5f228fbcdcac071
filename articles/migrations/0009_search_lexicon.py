"""The search lexicon behind one-slip search, with pg_trgm's trigram index.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. The lexicon
fills as stories are saved; `manage.py reindex` fills it for the stories already there.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_source_proposals'),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=2)),
                ('word', models.CharField(max_length=100)),
                ('display', models.CharField(max_length=100)),
                ('trigrams', models.CharField(max_length=100)),
                ('stories', models.PositiveIntegerField(default=0)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['trigrams'], name='searchterm_trigram_idx', opclasses=['gin_trgm_ops'])],
                'constraints': [models.UniqueConstraint(fields=('language', 'word'), name='searchterm_unique')],
            },
        ),
    ]
