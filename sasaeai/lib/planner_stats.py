"""The query planner's statistics, kept current where the database does not do it itself.

SQLite chooses its plans from `sqlite_stat1`, which only ANALYZE writes, and a new database
has none. Without them it guesses that every index narrows to a handful of rows, and a word
search is planned the wrong way round: each of the municipality's activities probes the word
index, where the index should lead. At the demo's 1,037 activities, word searches took 3 to
14 times as long as with statistics (体操 22 ms a page instead of 8, ｻﾛﾝ 見守り 113 instead of 8).

A full ANALYZE reads every index once: 2.5 s at 1,100,000 activities, milliseconds at a
ward's size. (A bounded one, `PRAGMA analysis_limit`, undercounts a municipality's rows
twentyfold at that size, which misleads the same plans.) It runs after the demo is loaded,
after an import adds activities, and every night (`sasaeai.core.tasks`).

PostgreSQL's autovacuum analyzes a table once a tenth of it has changed: nothing to do there.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def refresh(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Gather the planner's statistics anew where nothing else does; True if it ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
