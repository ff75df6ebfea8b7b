"""The word-search index (see directory/search.py), in each database's own way."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE directory_activity_fts USING fts5(
        search_tokens, content='directory_activity', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER directory_activity_fts_insert AFTER INSERT ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens);
    END""",
    """CREATE TRIGGER directory_activity_fts_delete AFTER DELETE ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(directory_activity_fts, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
    END""",
    """CREATE TRIGGER directory_activity_fts_update AFTER UPDATE OF search_tokens
        ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(directory_activity_fts, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
        INSERT INTO directory_activity_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER directory_activity_fts_update",
    "DROP TRIGGER directory_activity_fts_delete",
    "DROP TRIGGER directory_activity_fts_insert",
    "DROP TABLE directory_activity_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    """CREATE INDEX directory_activity_search ON directory_activity USING gin (
        municipality_id, array_to_tsvector(string_to_array(search_tokens, ' ')))""",
]
POSTGRES_REVERSE = ["DROP INDEX directory_activity_search"]


def run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
