"""Saving many activities at once, as `services.save_activity` saves one.

save_activity takes about 19 queries per activity, each write audited by its own INSERT: an
import of 10,000 rows took over a minute. `save_activities` makes the same records in a few
queries per batch of activities: organisers are looked up once, activities, kind links, places
and schedules are inserted or updated in bulk, the search columns are computed before the
activity is written (so each row is written once), and the audit entries, one per record
written as its own save would record it, go in together at the end (`audit.log.batched`).
test_transfer proves that both ways store the same records, search columns and audit trail.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import chain
from typing import Any

from django.db import connections, models, router
from django.db.models.deletion import Collector
from django.utils import timezone

from sasaeai.audit import log
from sasaeai.audit.models import Action, Audited

from .models import Activity, Organization, Place, Schedule, copy_to_places
from .services import ActivityParts, organization_named

BATCH = 500  # activities per batch: their rows stay well below every database's parameter limit
INDEX_FIELDS = ["search_text", "search_tokens", "kind_bits", "weekday_bits", "daypart_bits"]


@dataclass
class Current:
    """What an existing activity consists of now, read once for the whole import."""

    kind_ids: set[int]
    organization_name: str
    places: list[Place]
    schedules: list[Schedule]

    def place_values(self) -> list[dict[str, Any]]:
        return _values(self.places)

    def schedule_values(self) -> list[dict[str, Any]]:
        return _values(self.schedules)

    def same_as(self, parts: ActivityParts) -> bool:
        return (
            self.kind_ids == {k.pk for k in parts.kinds}
            and self.organization_name == parts.organization_name
            and self.place_values() == parts.places
            and self.schedule_values() == parts.schedules
        )


@dataclass
class Plan:
    """An activity to save with its parts; `current` is None for a new activity."""

    activity: Activity
    parts: ActivityParts
    current: Current | None = None


def save_activities(plans: Sequence[Plan]) -> None:
    """Do what save_activity does for each plan, in one transaction, a batch at a time.

    As save_activity, the places and schedules of an activity become exactly those of its
    parts; unlike it, a list of parts that stays the same is not written again.
    """
    organizations: dict[tuple[int, str], Organization | None] = {}
    with log.batched():
        for batch in _batches(plans):
            _name_organizations(batch, organizations)
            _save_records(batch)
            _link_kinds(batch)
            for model, attribute in ((Place, "places"), (Schedule, "schedules")):
                _replace_parts(model, attribute, batch)
            copy_to_places([plan.activity.pk for plan in batch if plan.activity.pk])


def _batches(plans: Sequence[Plan]) -> Iterator[Sequence[Plan]]:
    return (plans[i : i + BATCH] for i in range(0, len(plans), BATCH))


def _name_organizations(
    batch: Sequence[Plan], known: dict[tuple[int, str], Organization | None]
) -> None:
    """Each activity's organiser by name: those of the batch looked up in one query, and a
    name not yet known made by `organization_named` (whose save is audited)."""

    def key(plan: Plan) -> tuple[int, str]:
        area = plan.activity.area
        return (area.municipality_id or area.pk, plan.parts.organization_name.strip())

    wanted = {key(p) for p in batch if p.parts.organization_name.strip()} - known.keys()
    if wanted:
        found = Organization.objects.filter(
            municipality_id__in={m for m, _name in wanted}, name__in={n for _m, n in wanted}
        )
        known.update({(o.municipality_id, o.name): o for o in found})
    for plan in batch:
        name = plan.parts.organization_name.strip()
        if name and key(plan) not in known:
            area = plan.activity.area
            known[key(plan)] = organization_named(area.municipality or area, area, name)
        plan.activity.organization = known[key(plan)] if name else None


def _save_records(batch: Sequence[Plan]) -> None:
    """Insert the new activities and update the changed ones, search columns included."""
    now = timezone.now()
    created: list[Activity] = []
    updated: list[tuple[Activity, list[str]]] = []
    for plan in batch:
        activity = plan.activity
        activity.municipality = activity.area.municipality or activity.area  # as save() does
        if plan.current is None:
            created.append(activity)
        else:
            updated.append((activity, activity.audit_changed_fields()))
            activity.updated_at = now  # as save() sets it
        _index(activity, plan.parts)
    for activity in Activity.objects.bulk_create(created):
        log.record(Action.CREATE, obj=activity)
    if updated:
        names = set(chain.from_iterable(changed for _activity, changed in updated))
        fields = sorted(names | {"updated_at", *INDEX_FIELDS})
        _update(Activity, [activity for activity, _changed in updated], fields)
    for activity, changed in updated:
        log.record(Action.UPDATE, obj=activity, changed_fields=changed)
        _rebase(activity)


def _index(activity: Activity, parts: ActivityParts) -> None:
    """Set the search and filter columns from the parts in hand, so that each activity is
    written once (reindexing after the write took half of an import: every row written
    twice, its word index and listing indexes too)."""
    places = [(p["name"], p["address"]) for p in parts.places]
    schedules = [Schedule(**values) for values in parts.schedules]
    activity.index(list(parts.kinds), places, schedules)


def _link_kinds(batch: Sequence[Plan]) -> None:
    """Set each activity's kinds (links are not audited, as with `activity.kinds.set`)."""
    through = Activity.kinds.through
    added, removed = [], []
    for plan in batch:
        wanted = {kind.pk for kind in plan.parts.kinds}
        now = plan.current.kind_ids if plan.current else set()
        if now - wanted:
            removed.append(models.Q(activity_id=plan.activity.pk, kind_id__in=now - wanted))
        added += [through(activity_id=plan.activity.pk, kind_id=pk) for pk in wanted - now]
    if removed:
        through.objects.filter(reduce(operator.or_, removed)).delete()
    through.objects.bulk_create(added)


def _replace_parts(model: type[Place | Schedule], attribute: str, batch: Sequence[Plan]) -> None:
    """`services.replace_parts` for a batch: existing records are reused in order, missing ones
    added, the rest deleted; each audited as its save or delete would be."""
    reused: list[tuple[Any, list[str]]] = []
    added: list[Any] = []
    removed: list[Any] = []
    for plan in batch:
        rows: list[dict[str, Any]] = getattr(plan.parts, attribute)
        existing: list[Any] = getattr(plan.current, attribute) if plan.current else []
        if _values(existing) == rows:
            continue
        for index, values in enumerate(rows):
            if index < len(existing):
                for name, value in values.items():
                    setattr(existing[index], name, value)
                reused.append((existing[index], existing[index].audit_changed_fields()))
            else:
                added.append(model(activity=plan.activity, **values))
        removed += existing[len(rows) :]
    names = set(chain.from_iterable(changed for _part, changed in reused))
    if names:
        _update(model, [part for part, changed in reused if changed], sorted(names))
    for part, changed in reused:
        log.record(Action.UPDATE, obj=part, changed_fields=changed)
        _rebase(part)
    for part in model.objects.bulk_create(added):
        log.record(Action.CREATE, obj=part)
    if removed:
        # Deleted as Model.delete() deletes, all in one go: its signal audits each part, which
        # knows its activity, so finding the area reads nothing.
        collector = Collector(using=router.db_for_write(model))
        collector.collect(removed)
        collector.delete()


def _update(model: type[models.Model], records: Sequence[Any], names: list[str]) -> None:
    """Write these fields of records that exist: one UPDATE statement, run for every record
    in one call. (QuerySet.bulk_update's CASE expressions grow with the batch: building them
    took longer than the whole rest of an import, and SQLite tests each row against each.)"""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field.name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    # Only the model's own table and column names are put into the SQL.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(meta.pk.column))} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields]
        + [record.pk]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _values(parts: list[Any]) -> list[dict[str, Any]]:
    if not parts:
        return []
    # The fields a row of ActivityParts.places (or .schedules) gives.
    fields = type(parts[0])._meta.concrete_fields
    names = [f.name for f in fields if f.editable and not f.primary_key and f.name != "activity"]
    return [{name: getattr(part, name) for name in names} for part in parts]


def _rebase(record: Audited) -> None:
    """What was written is the baseline of the record's next change, as after a save."""
    fields = record._meta.concrete_fields
    record._audit_loaded = {f.attname: getattr(record, f.attname) for f in fields}
