"""The version an institution kind's edit form carries (lib/optimistic.py): when it was last
saved. Rows already there start at now."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_paper_sheets")]

    operations = [
        migrations.AddField(
            model_name="institutionkind",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
