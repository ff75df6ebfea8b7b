"""Rewrite every activity's search tokens from its stored text, name, reading, description,
kinds and places: after a change to how they are made (the readings of issue 25), by the
data migration 0012 and by `manage.py reindex_activities`.

Only `search_tokens` is written (SQLite's trigger and PostgreSQL's expression index follow);
the normalised `search_text` stays as it is. A thousand activities at a time, each batch
in its own transaction, so that a large database is not locked for the whole run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from .search import activity_readings, title_of, tokens_for

BATCH = 1000


def reindex(
    activity_model: Any,
    place_model: Any,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rewrite the tokens of every activity (the models may be a migration's); call
    `progress(done, total)` after each batch. Returns how many were rewritten."""
    links = activity_model.kinds.through.objects
    total = activity_model.objects.count()
    done, last = 0, 0
    fields = ("pk", "name", "kana", "description", "search_text")
    while True:
        rows = list(activity_model.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:BATCH])
        if not rows:
            break
        ids = [row.pk for row in rows]
        kinds: dict[int, list[str]] = {}
        for activity_id, name in links.filter(activity_id__in=ids).values_list(
            "activity_id", "kind__name"
        ):
            kinds.setdefault(activity_id, []).append(name)
        places: dict[int, list[str]] = {}
        for activity_id, name in (
            place_model.objects.filter(activity_id__in=ids)
            .order_by("pk")
            .values_list("activity_id", "name")
        ):
            places.setdefault(activity_id, []).append(name)
        for row in rows:
            readings, name_reading = activity_readings(
                row.name, row.kana, row.description, kinds.get(row.pk, []),
                places.get(row.pk, []),
            )  # fmt: skip
            title = title_of(row.name, row.kana)
            row.search_tokens = tokens_for(row.search_text, title, readings, name_reading)
        with transaction.atomic():
            activity_model.objects.bulk_update(rows, ["search_tokens"])
        done, last = done + len(rows), ids[-1]
        if progress is not None:
            progress(done, total)
    return done
