"""The regions' population aged 65+ per 年度, the denominator of 参加率: which regions an area's
page lists, and the all-or-nothing write of typed or imported figures."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib import optimistic

from . import entry_lookups
from .models import Population, PopulationSource
from .participation import Written, YearClosed, check_versions

# A region's figure: (aged 65+, the day counted), or None to remove what it had.
Figure = tuple[int, dt.date] | None


def regions_of(area: Area) -> list[Area]:
    """A region itself; for a block or the municipality, every region below it in the area
    file's order."""
    if area.kind == AreaKind.REGION:
        return [area]
    return list(Area.objects.within(area).regions().order_by("sort_order", "path"))


def current(regions: list[Area], year: int, *, locked: bool = False) -> dict[int, Population]:
    """The stored figure of each region in the 年度, by region id (`locked`: their rows held
    until the transaction ends)."""
    found = Population.objects.filter(area__in=regions, fiscal_year=year)
    # Locked without the model's ordering, whose join would lock the regions' rows too.
    return {p.area_id: p for p in (found.order_by().select_for_update() if locked else found)}


def save(
    municipality: Area, year: int, figures: dict[Area, Figure], source: str, *,
    versions: dict[int, optimistic.Version] | None = None,
) -> Written:  # fmt: skip
    """Write the regions' figures in one transaction (only those that differ from what is
    stored; None removes a region's figure); YearClosed, with nothing written, when the 年度
    is closed.

    With `versions` (the page's: each region's version as the person read it, by region id),
    saves of the municipality's figures take turns, and RowsStale, with nothing written, if a
    region this save would write was saved by someone else since."""
    written = Written()
    with transaction.atomic():
        if entry_lookups.is_closed(municipality, year):
            raise YearClosed
        if versions is not None:
            Area.objects.select_for_update().filter(pk=municipality.pk).first()
        stored = current(list(figures), year, locked=versions is not None)
        if versions is not None:
            writes = [r.pk for r, f in figures.items() if _changes(stored.get(r.pk), f, source)]
            check_versions(stored, writes, versions)
        for region, figure in figures.items():
            found = stored.get(region.pk)
            if figure is None:
                if found is not None:
                    found.delete()
                    written.deleted += 1
                continue
            count, as_of = figure
            if found is None:
                Population.objects.create(
                    area=region, fiscal_year=year, aged_65_up=count, as_of=as_of, source=source
                )
                written.created += 1
            elif _changes(found, figure, source):
                found.aged_65_up, found.as_of, found.source = count, as_of, source
                found.save()
                written.updated += 1
    return written


def _changes(found: Population | None, figure: Figure, source: str) -> bool:
    """Whether writing a region's `figure` (None: removing it) changes what is stored."""
    if figure is None:
        return found is not None
    if found is None:
        return True
    return (found.aged_65_up, found.as_of) != figure or (
        source == PopulationSource.IMPORTED and found.source != source
    )
