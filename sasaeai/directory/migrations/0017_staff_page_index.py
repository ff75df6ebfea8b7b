"""The staff list's covering index (issue 26).

On SQLite, a database whose planner has statistics (sqlite_stat1, written by ANALYZE: the
demo, an import, every night: lib/planner_stats.py) gets them for the new index at once.
Without them SQLite guessed the new index narrows best and led the public word searches
through it: 1.5–2 s instead of 10–24 ms at 30,000 activities until the night's refresh.
"""

from django.db import migrations, models


def gather_statistics(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return  # PostgreSQL's planner costs a new index from the table's own statistics
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE directory_activity")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0003_area_contact"),
        ("directory", "0016_confirmations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=[
                    "municipality",
                    "kana",
                    "name",
                    "id",
                    "area",
                    "status",
                    "visibility",
                    "last_confirmed",
                    "updated_at",
                ],
                name="activity_staff_page",
            ),
        ),
        migrations.RunPython(gather_statistics, migrations.RunPython.noop, elidable=True),
    ]
