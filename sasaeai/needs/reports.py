"""Counting needs: by kind and status, by region, and the gap beside the area's activities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area, AreaKind, paths_above
from sasaeai.directory.models import Activity

from .models import OPEN_STATUSES, NeedKind, NeedQuerySet, Status

STATUSES = [s.value for s in Status]


@dataclass
class Row:
    """One line of a count table: a label, a count per status, the total and open counts."""

    label: str
    counts: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts)


def _table(pairs: Mapping[tuple[int, str], int], keys: list[tuple[int, str]]) -> list[Row]:
    return [Row(label, [pairs.get((key, s), 0) for s in STATUSES]) for key, label in keys]


def by_kind_and_status(needs: NeedQuerySet, kinds: list[NeedKind]) -> tuple[list[Row], Row]:
    """Each kind's needs per status (in Status order), and the column totals."""
    grouped = needs.values("kind_id", "status").annotate(n=Count("id")).order_by()
    pairs = {(g["kind_id"], g["status"]): g["n"] for g in grouped}
    rows = _table(pairs, [(k.pk, k.name) for k in kinds])
    return rows, totals(rows)


def by_region_and_status(needs: NeedQuerySet, area: Area) -> tuple[list[Row], Row]:
    """For a ward or block: each region below it, its needs per status."""
    regions = list(Area.objects.within(area).filter(kind=AreaKind.REGION).order_by("sort_order"))
    if not regions or (len(regions) == 1 and regions[0].pk == area.pk):
        return [], Row("")
    region_at = {region.path: region.pk for region in regions}
    region_of: dict[int, int] = {}  # each area below `area` to the region it lies in
    for pk, path in Area.objects.within(area).values_list("pk", "path"):
        for line in (path, *reversed(paths_above(path))):
            if line in region_at:
                region_of[pk] = region_at[line]
                break
    counts: dict[tuple[int, str], int] = defaultdict(int)
    grouped = needs.values("area_id", "status").annotate(n=Count("id")).order_by()
    for g in grouped:
        if g["area_id"] in region_of:
            counts[(region_of[g["area_id"]], g["status"])] += g["n"]
    rows = _table(counts, [(r.pk, r.name) for r in regions])
    return rows, totals(rows)


def totals(rows: list[Row]) -> Row:
    return Row(_("合計"), [sum(col) for col in zip(*(r.counts for r in rows), strict=True)])


@dataclass(frozen=True)
class GapRow:
    kind: NeedKind
    needs: int
    open_needs: int
    activities: int | None  # None: no activity kind is mapped to this need kind
    activity_kinds: list[str]

    @property
    def is_gap(self) -> bool:
        """Needs here, and not one published activity of a kind that could meet them."""
        return self.needs > 0 and self.activities == 0


def gap(needs: NeedQuerySet, kinds: list[NeedKind], area: Area) -> list[GapRow]:
    """Each need kind: its needs in the area, beside the area's published activities of the
    activity kinds mapped to it (each activity counted once per need kind)."""
    grouped = needs.values("kind_id", "status").annotate(n=Count("id")).order_by()
    total: dict[int, int] = defaultdict(int)
    still_open: dict[int, int] = defaultdict(int)
    for g in grouped:
        total[g["kind_id"]] += g["n"]
        if g["status"] in OPEN_STATUSES:
            still_open[g["kind_id"]] += g["n"]
    mapped = {kind.pk: list(kind.activity_kinds.all()) for kind in kinds}
    counts = {
        f"k{pk}": Count("pk", filter=Q(kinds__in=activity_kinds), distinct=True)
        for pk, activity_kinds in mapped.items()
        if activity_kinds
    }  # one query for every need kind
    found = Activity.objects.public().within(area).aggregate(**counts) if counts else {}
    return [
        GapRow(kind, total[kind.pk], still_open[kind.pk], found.get(f"k{kind.pk}"),
               [k.name for k in mapped[kind.pk]])
        for kind in kinds
    ]  # fmt: skip
