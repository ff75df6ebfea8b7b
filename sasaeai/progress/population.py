"""The regions' population aged 65+ per 年度, the denominator of 参加率: which regions an area's
page lists, and the all-or-nothing write of typed or imported figures."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sasaeai.areas.models import Area, AreaKind

from . import entry_lookups
from .models import Population, PopulationSource
from .participation import Written, YearClosed

# A region's figure: (aged 65+, the day counted), or None to remove what it had.
Figure = tuple[int, dt.date] | None


def regions_of(area: Area) -> list[Area]:
    """A region itself; for a block or the municipality, every region below it in the area
    file's order."""
    if area.kind == AreaKind.REGION:
        return [area]
    return list(Area.objects.within(area).regions().order_by("sort_order", "path"))


def current(regions: list[Area], year: int) -> dict[int, Population]:
    """The stored figure of each region in the 年度, by region id."""
    return {p.area_id: p for p in Population.objects.filter(area__in=regions, fiscal_year=year)}


def save(
    municipality: Area, year: int, figures: dict[Area, Figure], source: str,
) -> Written:  # fmt: skip
    """Write the regions' figures in one transaction (only those that differ from what is
    stored; None removes a region's figure); YearClosed, with nothing written, when the 年度
    is closed."""
    written = Written()
    with transaction.atomic():
        if entry_lookups.is_closed(municipality, year):
            raise YearClosed
        stored = current(list(figures), year)
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
            elif (found.aged_65_up, found.as_of) != (count, as_of) or (
                source == PopulationSource.IMPORTED and found.source != source
            ):
                found.aged_65_up, found.as_of, found.source = count, as_of, source
                found.save()
                written.updated += 1
    return written
