"""The word index of cases and questions, as the directory's activities have theirs
(directory 0002 and 0009): SQLite's FTS5 table kept by triggers, PostgreSQL's GIN index of each
municipality's own word lists. At 10,000 cases a search tested every row's tokens (0.25–3 s)."""

from django.db import migrations

TABLES = ("knowhow_case", "knowhow_askedquestion")


def sqlite(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5(search_tokens, content='{table}',
            content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
        f"""CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, search_tokens) VALUES (new.id, new.search_tokens);
        END""",
        f"""CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_tokens)
            VALUES ('delete', old.id, old.search_tokens);
        END""",
        f"""CREATE TRIGGER {fts}_update AFTER UPDATE OF search_tokens ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_tokens)
            VALUES ('delete', old.id, old.search_tokens);
            INSERT INTO {fts}(rowid, search_tokens) VALUES (new.id, new.search_tokens);
        END""",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # the rows already there
    ]


def sqlite_reverse(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [f"DROP TRIGGER {fts}_{w}" for w in ("update", "delete", "insert")] + [
        f"DROP TABLE {fts}"
    ]


def postgres(table: str) -> list[str]:
    return [
        f"""CREATE INDEX {table}_words ON {table}
            USING gin (directory_search_vector(municipality_id, search_tokens))""",
        f"ANALYZE {table}",
    ]


FORWARD = {
    "sqlite": [sql for t in TABLES for sql in sqlite(t)],
    "postgresql": [sql for t in TABLES for sql in postgres(t)],
}
REVERSE = {
    "sqlite": [sql for t in TABLES for sql in sqlite_reverse(t)],
    "postgresql": [f"DROP INDEX {t}_words" for t in TABLES],
}


def run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("knowhow", "0004_forum_chart"),
        ("directory", "0009_word_lists_per_municipality"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE))]
