"""The version a peer call's edit form carries (lib/optimistic.py): when it was last saved.
Rows already there start at now."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("needs", "0005_paper_sheets")]

    operations = [
        migrations.AddField(
            model_name="peercall",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
