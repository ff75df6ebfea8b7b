"""Add the marked tokens of each activity's name and reading to its search tokens (the first
tier of relevance is then answered from the word index)."""

from typing import Any

from django.db import migrations

from sasaeai.directory.search import title_of, tokens_for


def add_title_tokens(apps: Any, schema_editor: Any) -> None:
    Activity = apps.get_model("directory", "Activity")
    batch = []
    rows = Activity.objects.only("pk", "name", "kana", "search_text").order_by("pk")
    for activity in rows.iterator(chunk_size=2000):
        title = title_of(activity.name, activity.kana)
        activity.search_tokens = tokens_for(activity.search_text, title)
        batch.append(activity)
        if len(batch) == 2000:
            Activity.objects.bulk_update(batch, ["search_tokens"])
            batch = []
    Activity.objects.bulk_update(batch, ["search_tokens"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_listing_indexes")]

    operations = [migrations.RunPython(add_title_tokens, migrations.RunPython.noop, elidable=True)]
