"""Participants (参加者実人数) per activity, entered once per 年度 for a region: which activities
a region's page lists, and the all-or-nothing write of the page's rows.

The rate 参加率 is never stored: `rate` works it out where it is shown, from the stored
numerator (participants), denominator (the region's population aged 65+) and their months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.directory.kayoi import is_kayoi
from sasaeai.directory.models import Activity, Schedule, Status
from sasaeai.lib import optimistic

from . import entry_lookups
from .models import Participation, Population

FIGURES = ["participants", "men", "women", "aged_65_74", "aged_75_up", "per_session"]


class YearClosed(Exception):
    """The 年度 was closed by the ward: nothing was written."""


class RowsStale(Exception):
    """Someone saved rows of the page after this person read them, and this save would have
    written over them: nothing was written. `saved` holds those rows as stored now (None:
    removed since), by the row's key (an activity's id, a region's)."""

    def __init__(self, saved: dict[int, Any]) -> None:
        super().__init__("stale rows")
        self.saved = saved


def unchanged_since(read: optimistic.Version, stored: Any) -> bool:
    """Whether a row is as it was when its version was `read` (None: nothing to check; NEW:
    there was no row then)."""
    if read is None:
        return True
    if read == optimistic.NEW:
        return stored is None
    return stored is not None and stored.updated_at == read


def check_versions(
    stored: dict[int, Any], writes: list[int], versions: dict[int, optimistic.Version]
) -> None:
    """RowsStale unless every row to be written (`writes`, by key) is as its version read."""
    stale = {
        k: stored.get(k) for k in writes if not unchanged_since(versions.get(k), stored.get(k))
    }
    if stale:
        raise RowsStale(stale)


@dataclass
class Listed:
    activity: Activity
    kayoi: bool
    current: Participation | None


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def listed(region: Area, year: int) -> list[Listed]:
    """The region's activities (and those of the areas below it) that are not ended, and
    those that already have figures in the 年度, in the directory's order."""
    return listed_in([region], year)[region.pk]


def listed_in(regions: list[Area], year: int) -> dict[int, list[Listed]]:
    """`listed` for each of the regions, by region id: the same five queries for any number
    of regions (a block's or the ward's table for the participants import)."""
    region_of: dict[int, int] = {}  # area id → the id of the region it is (or lies below)
    for pk, path in Area.objects.filter(access.under([r.path for r in regions])).values_list(
        "pk", "path"
    ):
        region_of[pk] = next(r.pk for r in regions if access.is_under(path, r.path))
    activities = Activity.objects.filter(area_id__in=list(region_of))
    current = {
        p.activity_id: p
        for p in Participation.objects.filter(activity__in=activities, fiscal_year=year)
    }
    shown = (
        activities.filter(~Q(status=Status.ENDED) | Q(pk__in=list(current)))
        .prefetch_related(Prefetch("schedules", Schedule.objects.order_by("pk")), "places")
        .order_by("kana", "name", "pk")
    )
    found: dict[int, list[Listed]] = {r.pk: [] for r in regions}
    for activity in shown:
        kayoi = is_kayoi(
            [(s.frequency, s.note) for s in activity.schedules.all()], bool(activity.places.all())
        )
        found[region_of[activity.area_id]].append(Listed(activity, kayoi, current.get(activity.pk)))
    return found


def page_month(rows: list[Listed], year: int) -> dt.date:
    """The reference month the page starts at: the one already used in the 年度 (the latest,
    should rows differ), else March at its end."""
    months = [row.current.month for row in rows if row.current is not None]
    return max(months) if months else dt.date(year + 1, 3, 1)


def save(
    region: Area,
    year: int,
    month: dt.date,
    figures: dict[int, dict[str, Any] | None],
    current: dict[int, Participation],
    by: Any,
    *,
    versions: dict[int, optimistic.Version] | None = None,
) -> Written:
    """Write the page in one transaction: for each activity id, its figures (a row that
    differs from what is stored is written, with the page's month), or None for a row left
    empty, which removes what the row had. YearClosed, with nothing written, when the 年度 is
    closed.

    With `versions` (the page's: each row's version as the person read it), the rows are read
    again under the region's lock, so two saves of one region's page take turns, and RowsStale,
    with nothing written, if a row this save would write was saved by someone else since."""
    written = Written()
    with transaction.atomic():
        if entry_lookups.is_closed(region, year):
            raise YearClosed
        if versions is not None:
            Area.objects.select_for_update().filter(pk=region.pk).first()
            found = Participation.objects.select_for_update().filter(
                activity_id__in=list(figures), fiscal_year=year
            )
            current = {p.activity_id: p for p in found}
            writes = [k for k, v in figures.items() if _changes(current.get(k), v, month)]
            check_versions(current, writes, versions)
        for activity_id, values in figures.items():
            stored = current.get(activity_id)
            if values is None:
                if stored is not None:
                    stored.delete()
                    written.deleted += 1
                continue
            if stored is None:
                Participation.objects.create(
                    activity_id=activity_id, fiscal_year=year, month=month, entered_by=by,
                    **values,
                )  # fmt: skip
                written.created += 1
            elif _changes(stored, values, month):
                for name, value in values.items():
                    setattr(stored, name, value)
                stored.month, stored.entered_by = month, by
                stored.save()
                written.updated += 1
    return written


def _changes(stored: Participation | None, values: dict[str, Any] | None, month: dt.date) -> bool:
    """Whether writing a row's `values` (None: removing it) changes what is stored."""
    if values is None:
        return stored is not None
    if stored is None:
        return True
    return stored.month != month or any(getattr(stored, k) != v for k, v in values.items())


def kayoi_rate(region: Area, year: int, rows: list[Listed]) -> dict[str, Any]:
    """参加率 of the region's 通いの場 in the 年度, with its numerator and denominator: the
    participants of its 通いの場 (as the survey counts them, a person in two groups twice),
    and the region's population aged 65+ (None when not entered)."""
    population = Population.objects.filter(area=region, fiscal_year=year).first()
    counted = [row.current for row in rows if row.kayoi and row.current is not None]
    total = sum(p.participants for p in counted)
    return {
        "population": population,
        "kayoi_counted": total,
        "kayoi_rows": len(counted),
        "rate": rate(total, population.aged_65_up) if population and counted else None,
    }


def rate(participants: int, population: int) -> Decimal | None:
    """参加率 in percent, to one decimal place, worked out where it is shown."""
    if not population:
        return None
    value = Decimal(participants) * 100 / Decimal(population)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
