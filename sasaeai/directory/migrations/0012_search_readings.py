"""Add the readings of words in kanji (and of names without よみがな) to every activity's
search tokens (issue 25): a search in kana then finds text in kanji. `manage.py
reindex_activities` does the same on a live database, with a progress line."""

from typing import Any

from django.db import migrations


def add_readings(apps: Any, schema_editor: Any) -> None:
    from sasaeai.directory.search_reindex import reindex

    reindex(apps.get_model("directory", "Activity"), apps.get_model("directory", "Place"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_activity_survey_fields")]

    operations = [migrations.RunPython(add_readings, migrations.RunPython.noop, elidable=True)]
