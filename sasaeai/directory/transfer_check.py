"""Checking the rows of a spreadsheet against the database, before anything is written.

Each row becomes a RowResult (its reasons in Japanese, per column) and, when good, a Plan of
what to save. Everything rows are checked against is read once for the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
from sasaeai.lib.import_files import SourceRow, parse_flag

from .import_service import BATCH, Current, Plan
from .models import Activity, Kind, Place, Schedule, Status, Visibility
from .services import ActivityParts
from .transfer_format import (
    FIELD_COLUMNS,
    FLAG_FIELDS,
    KIND_SEPARATORS,
    PLACE_FIELDS,
    SURVEY_FIELDS,
    TEXT_FIELDS,
    parse_choice,
    parse_count,
    parse_date,
    parse_number,
    parse_option,
    parse_schedules,
)

Fail = Callable[[str, str], None]  # reports a reason for a column of the row


@dataclass
class RowResult:
    number: int
    name: str
    activity_id: int | None = None  # the activity updated, or after a commit the one created
    is_new: bool = True
    changed: bool = True  # False for an existing activity the row leaves as it is
    errors: list[str] = field(default_factory=list)

    @property
    def record_id(self) -> int | None:
        """The record the row made or updated (the result page names it)."""
        return self.activity_id

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """Everything rows are checked against, loaded once for the whole file."""

    user: Any
    areas: dict[str, Area]
    kinds: dict[str, Kind]
    existing: dict[int, Activity]
    current: dict[int, Current]
    seen: dict[int, int] = field(default_factory=dict)  # activity id → first row number

    @classmethod
    def load(cls, municipality: Area, user: Any, rows: list[SourceRow]) -> Context:
        areas = Area.objects.filter(
            models.Q(municipality=municipality) | models.Q(pk=municipality.pk)
        ).select_related("municipality")
        every_kind = list(Kind.objects.of(municipality).order_by("-id"))
        # A name wins over another kind's code; of two kinds with one name, the older.
        kinds = {k.code: k for k in every_kind} | {k.name: k for k in every_kind}
        ids = sorted({int(r.values["id"]) for r in rows if r.values["id"].isdigit()})
        found = Activity.objects.of(municipality).select_related("area", "organization")
        if user is not None:
            found = access.scope(user, found, Capability.EDIT)
        existing: dict[int, Activity] = {}
        for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
            existing |= {a.pk: a for a in found.filter(pk__in=chunk)}
        current = _current(existing)
        return cls(user, {a.code: a for a in areas}, kinds, existing, current)

    def may(self, capability: str, area: Area) -> bool:
        return self.user is None or access.can(self.user, capability, area)


def _current(activities: dict[int, Activity]) -> dict[int, Current]:
    """What these activities consist of now, read a batch of activities at a time."""
    current = {
        pk: Current(set(), a.organization.name if a.organization else "", [], [])
        for pk, a in activities.items()
    }
    ids = list(activities)
    for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
        through = Activity.kinds.through.objects.filter(activity_id__in=chunk)
        for activity_id, kind_id in through.values_list("activity_id", "kind_id"):
            current[activity_id].kind_ids.add(kind_id)
        # Each part knows its activity, as when save_activity reads activity.places.
        for place in Place.objects.filter(activity_id__in=chunk).order_by("id"):
            place.activity = activities[place.activity_id]
            current[place.activity_id].places.append(place)
        for schedule in Schedule.objects.filter(activity_id__in=chunk).order_by("id"):
            schedule.activity = activities[schedule.activity_id]
            current[schedule.activity_id].schedules.append(schedule)
    return current


def check_rows(
    municipality: Area, rows: list[SourceRow], user: Any = None
) -> list[tuple[RowResult, Plan | None]]:
    """Each row's result, and what to save for each good row."""
    context = Context.load(municipality, user, rows)
    return [check(row, context) for row in rows]


def check(row: SourceRow, context: Context) -> tuple[RowResult, Plan | None]:
    """The row's result, and what to save when the row is good."""
    v = row.values
    result = RowResult(row.number, v["活動名"])

    def fail(column: str, message: str) -> None:
        result.errors.append(f"{column}：{message}")

    activity, area = _target(v, context, result, fail)
    status = activity.status
    _assign(activity, v, fail)
    if area and activity.status != status and not context.may(Capability.PUBLISH, area):
        fail("状態", _("この地域の活動の状態を変える権限がありません。"))
    kinds = _kinds(v["種類"], context, fail)
    if len(v["運営団体"]) > 120:
        fail("運営団体", _("120 文字までにしてください。"))
    schedules: list[dict[str, Any]] = []
    try:
        schedules = parse_schedules(v["日程"])
    except ValueError as error:
        fail("日程", str(error))
    current = context.current.get(activity.pk) if activity.pk else None
    # One place per row: the activity's other places stay as they are.
    places = current.place_values()[1:] if current else []
    if any(v[c] for c in PLACE_FIELDS) and (place := _place(v, fail)) is not None:
        places.insert(0, place)
    _validate(activity, FIELD_COLUMNS, fail, exclude=["municipality", "area", "organization"])
    if not result.ok:
        return result, None
    parts = ActivityParts(list(dict.fromkeys(kinds)), v["運営団体"], places, schedules)
    if current is not None:
        result.changed = bool(activity.audit_changed_fields()) or not current.same_as(parts)
    return result, Plan(activity, parts, current)


def _kinds(text: str, context: Context, fail: Fail) -> list[Kind]:
    kinds = []
    for word in filter(None, (w.strip() for w in KIND_SEPARATORS.split(text))):
        if word in context.kinds:
            kinds.append(context.kinds[word])
        else:
            fail("種類", _("「%(kind)s」という種類はありません。") % {"kind": word})
    return kinds


def _target(
    v: dict[str, str], context: Context, result: RowResult, fail: Fail
) -> tuple[Activity, Area | None]:
    """The activity the row writes (the one its id names, or a new one), and its area if the
    person may edit there."""
    activity = Activity()
    if v["id"]:
        pk = int(v["id"]) if v["id"].isdigit() else 0
        if pk in context.seen:
            fail("id", _("同じ id が %(row)s 行目にもあります。") % {"row": context.seen[pk]})
        elif pk not in context.existing:
            fail("id", _("この id の活動は見つからないか、編集できません。"))
        else:
            activity = context.existing[pk]
            context.seen[pk] = result.number
            result.activity_id, result.is_new = pk, False
    area = context.areas.get(v["地域コード"])
    if not v["地域コード"]:
        fail("地域コード", _("地域コードを書いてください。"))
    elif area is None:
        fail("地域コード", _("この自治体にない地域コードです。"))
    elif not context.may(Capability.EDIT, area):
        fail("地域コード", _("この地域は担当外です。"))
    else:
        activity.area = area
        return activity, area
    return activity, None


def _assign(activity: Activity, v: dict[str, str], fail: Fail) -> None:
    """The row's own fields onto the activity; a blank choice leaves the value as it is."""
    for column, name in TEXT_FIELDS.items():
        setattr(activity, name, v[column])
    parsers: list[tuple[str, str, Any]] = [
        ("状態", "status", lambda text: parse_choice(text, Status)),
        ("公開範囲", "visibility", lambda text: parse_choice(text, Visibility)),
        *((column, name, parse_flag) for column, name in FLAG_FIELDS.items()),
    ]
    for column, name, parse in parsers:
        try:
            if (value := parse(v[column])) is not None:
                setattr(activity, name, value)
        except ValueError as error:
            fail(column, str(error))
    for column, name, parse in (
        ("定員", "capacity", parse_count),
        ("最終確認日", "last_confirmed", parse_date),
    ):
        try:
            setattr(activity, name, parse(v[column]))
        except ValueError as error:
            fail(column, str(error))
    # The survey's options: an empty cell clears one, as for text; a file made before these
    # columns existed leaves them as they are.
    for column, name in SURVEY_FIELDS.items():
        if column not in v:
            continue
        try:
            setattr(activity, name, parse_option(v[column], name, getattr(activity, name)))
        except ValueError as error:
            fail(column, str(error))


def _place(v: dict[str, str], fail: Fail) -> dict[str, Any] | None:
    place: dict[str, Any] = {name: v[column] for column, name in PLACE_FIELDS.items()}
    ok = True
    for column, limit in (("緯度", 90), ("経度", 180)):
        try:
            place[PLACE_FIELDS[column]] = parse_number(v[column], limit)
        except ValueError as error:
            fail(column, str(error))
            ok = False
    if (place["latitude"] is None) != (place["longitude"] is None):
        fail("緯度", _("緯度と経度は、両方書くか両方空にしてください。"))
        ok = False
    columns = {name: column for column, name in PLACE_FIELDS.items()}
    ok = _validate(Place(**place), columns, fail, exclude=["activity"]) and ok
    return place if ok else None


def _validate(obj: models.Model, columns: dict[str, str], fail: Fail, exclude: list[str]) -> bool:
    """Model validation (lengths, e-mail, required fields), reported per column."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                fail(columns.get(name, name), message)
        return False
    return True
