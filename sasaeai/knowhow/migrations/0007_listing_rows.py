"""The case list read from a narrow index (issue 27), and SQLite's word index kept again.

`case_rows` holds what the list filters and orders by (municipality, date, status, area,
stage, "役に立った"): counting 10,000 cases and finding a page's ids read it alone, not the
wide rows (their texts and words: 30 MB at 10,000 cases, more than SQLite's page cache, so every
count read them all again). Raw SQL, as 0005: the model's own indexes are not touched.

PostgreSQL: the word index of each table is made again on `knowhow_words`, the directory's
`directory_search_vector` under a name that tells the planner its true cost. That function
(SQL, not inlined) was costed as a cheap operator, so for a word matching a quarter of the
cases the planner read every case and built its word list (10,000 lists: 340 ms quiet, over
1 s on a busy machine) rather than take the matches from the index (4 ms). COST 1000 (the
default is 100): building one case's list takes some 30 µs, a thousand operators' worth.

SQLite: 0006 added columns with a default, for which SQLite rebuilds the table and drops the
triggers that keep the word index (0005) up to date; they are made again (IF NOT EXISTS: a
database that kept them is left as it is) and the index rebuilt from the rows.
"""

from django.db import migrations

INDEXES = [
    (
        "case_rows",
        "knowhow_case (municipality_id, happened_on DESC, status, area_id, stage, useful_count)",
    ),
]
TABLES = ("knowhow_case", "knowhow_askedquestion")


def triggers(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, search_tokens) VALUES (new.id, new.search_tokens);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_tokens)
            VALUES ('delete', old.id, old.search_tokens);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_tokens
            ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_tokens)
            VALUES ('delete', old.id, old.search_tokens);
            INSERT INTO {fts}(rowid, search_tokens) VALUES (new.id, new.search_tokens);
        END""",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


WORDS = """CREATE FUNCTION knowhow_words(municipality bigint, tokens text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
    AS $$ BEGIN RETURN directory_search_vector(municipality, tokens); END $$"""


def words_index(table: str, function: str) -> list[str]:
    return [
        f"DROP INDEX {table}_words",
        f"CREATE INDEX {table}_words ON {table}"
        f" USING gin ({function}(municipality_id, search_tokens))",
    ]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name, on in INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {on}")
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for sql in triggers(table):
                schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WORDS)
        for table in TABLES:
            for sql in words_index(table, "knowhow_words"):
                schema_editor.execute(sql)
            schema_editor.execute(f"ANALYZE {table}")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name, _on in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            for sql in words_index(table, "directory_search_vector"):
                schema_editor.execute(sql)
        schema_editor.execute("DROP FUNCTION knowhow_words(bigint, text)")


class Migration(migrations.Migration):
    dependencies = [("knowhow", "0006_sharing")]

    operations = [migrations.RunPython(forward, backward)]
