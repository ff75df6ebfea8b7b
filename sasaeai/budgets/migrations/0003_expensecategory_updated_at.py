"""The version an expense category's edit form carries (lib/optimistic.py): when it was last
saved. Rows already there start at now."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0002_expense_approvers_told_at")]

    operations = [
        migrations.AddField(
            model_name="expensecategory",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
