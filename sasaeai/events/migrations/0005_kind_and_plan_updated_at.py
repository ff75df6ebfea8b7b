"""The version an event kind's edit form and the year's plan page carry (lib/optimistic.py):
when each was last saved. Rows already there start at now."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0004_paper_sheets")]

    operations = [
        migrations.AddField(
            model_name="eventkind",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="plantarget",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
