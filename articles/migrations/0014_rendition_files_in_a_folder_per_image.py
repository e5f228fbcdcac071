"""New renditions go in a folder per image (renditions/<image id>/); files already stored keep their names."""

import articles.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('articles', '0013_kill_permission')]

    operations = [
        migrations.AlterField(
            model_name='rendition',
            name='file',
            field=models.ImageField(upload_to=articles.models.rendition_path),
        ),
    ]
