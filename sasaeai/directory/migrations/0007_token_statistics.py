"""PostgreSQL: statistics on the padded search tokens that `search.scan_q` tests with LIKE.

Without them the planner takes any such LIKE to match almost nothing, and plans a count of a
common word as a read of the whole listing; with them it knows that 体操 is in a third of the
rows and reads the listing only until the count's limit.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS directory_activity_token_stats "
    "ON ((' ' || search_tokens || ' ')) FROM directory_activity"
)
DROP = "DROP STATISTICS directory_activity_token_stats"


def run(sql: str):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_kind_bits")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
