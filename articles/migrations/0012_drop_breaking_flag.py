"""The breaking flag goes (urgency replaces it); a story may be killed; urgency is IPTC's 1–9."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('articles', '0011_urgency_from_breaking')]

    operations = [
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
