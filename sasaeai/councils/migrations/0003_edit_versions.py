"""The version the edit forms of meetings, agenda items, action items and members carry
(lib/optimistic.py): when each row was last saved. Rows already there start at now."""

import django.utils.timezone
from django.db import migrations, models


def _updated_at(model: str) -> migrations.AddField:
    return migrations.AddField(
        model_name=model,
        name="updated_at",
        field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
        preserve_default=False,
    )


class Migration(migrations.Migration):
    dependencies = [("councils", "0002_meeting_photos")]

    operations = [
        _updated_at("meeting"),
        _updated_at("agendaitem"),
        _updated_at("actionitem"),
        _updated_at("councilmember"),
    ]
