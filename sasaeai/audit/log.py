"""Writing to the audit log. Every entry names who, what, when, from where and the result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections, router, transaction

from .context import current
from .models import Action, AuditEntry, Result

_pending: ContextVar[list[AuditEntry] | None] = ContextVar("sasaeai_audit_pending", default=None)


def record(
    action: str,
    *,
    result: str = Result.OK,
    obj: Any = None,
    area: Any = None,
    changed_fields: Iterable[str] = (),
    detail: str = "",
    user: Any = None,
) -> AuditEntry:
    """Write one entry now, or, inside `batched()`, when the batch ends."""
    entry = _entry(action, result, obj, area, changed_fields, detail, user)
    pending = _pending.get()
    if pending is None:
        entry.save(force_insert=True)
    else:
        pending.append(entry)
    return entry


@contextmanager
def batched() -> Iterator[None]:
    """Keep the entries recorded inside the block and insert them together when it ends.

    For writers of thousands of records (the import): one call to the database for all the
    entries instead of one INSERT each. The block runs in a transaction with its entries, so
    the writes and their entries are kept or rolled back together. Every entry is still made
    by `record()`: by the per-object signals, or by a bulk writer itself for the records it
    writes in bulk (bulk_create and bulk_update send no signals).
    """
    if _pending.get() is not None:  # an outer batch writes these entries with its own
        yield
        return
    entries: list[AuditEntry] = []
    token = _pending.set(entries)
    try:
        with transaction.atomic():
            yield
            if entries:
                _insert(entries)
    finally:
        _pending.reset(token)


def _insert(entries: list[AuditEntry]) -> None:
    """Insert entries as bulk_create would, as one INSERT statement run for every entry.

    bulk_create spends most of its time on what an entry does not need (its id read back,
    SQL built afresh for each slice of rows): it took a quarter of a 10,000-row import.
    """
    connection = connections[router.db_for_write(AuditEntry)]
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(AuditEntry._meta.db_table)
    # Only the model's own table and column names are put into the SQL.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    rows = [[f.get_db_prep_save(f.pre_save(e, True), connection) for f in fields] for e in entries]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _entry(
    action: str,
    result: str,
    obj: Any,
    area: Any,
    changed_fields: Iterable[str],
    detail: str,
    user: Any,
) -> AuditEntry:
    actor = current()
    user = user if user is not None else actor.user
    if area is None and obj is not None:
        area = getattr(obj, "audit_area", None)
    area_path = getattr(area, "path", "") or ""
    municipality_code = area_path.split("/")[0] if area_path else ""
    if not municipality_code and user is not None:
        municipality = getattr(user, "municipality", None)
        municipality_code = municipality.code if municipality else ""
    municipality_code = municipality_code or actor.municipality_code
    return AuditEntry(
        user=user if getattr(user, "pk", None) else None,
        actor=getattr(user, "email", "") or "",
        action=action,
        model=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        changed_fields=list(changed_fields),
        municipality_code=municipality_code,
        area_path=area_path,
        ip=actor.ip,
        result=result,
        detail=" ".join(part for part in (detail, actor.via) if part)[:400],
    )


def denied(detail: str, *, area: Any = None) -> AuditEntry:
    return record(Action.DENIED, result=Result.DENIED, detail=detail, area=area)
