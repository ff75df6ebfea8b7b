"""The public page of an area (municipality, block or region): its smaller areas, its
activities by kind and its council. It gathers areas, directory and councils, so it lives in
core, not in areas, which every app builds on and which imports none of them."""

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import Area, AreaContact, AreaKind
from sasaeai.councils.public import council_profile
from sasaeai.directory.models import Activity, Facet, Kind
from sasaeai.directory.search_query import LISTING
from sasaeai.events.local_services import coming_up
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.public_cache import public_page
from sasaeai.progress.route import Mountain, route

# Activities named per kind on an area's page; the rest are a search away (area and kind set).
PER_KIND = 10


@dataclass(frozen=True)
class KindList:
    name: str
    code: str
    total: int  # published activities of this kind in the area
    activities: list[Any]  # rows of pk and name

    @property
    def more(self) -> int:
        return self.total - len(self.activities)


@access.public
@public_page
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    area = access.public_area(request, code)
    local_events, local_total = coming_up(area)
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "children": area.children.all(),
        "by_kind": activities_by_kind(area),
        "council": council_profile(area),
        "mountain": public_route(area),
        "desk": AreaContact.objects.nearest(area),
        "local_events": local_events,
        "local_total": local_total,
        "footer_desk": None,  # the page shows its desk itself
    }
    return render(request, "areas/detail.html", context)


def public_route(area: Area) -> Mountain | None:
    """A region's route this 年度, with only the goals its council chose to make public."""
    if area.kind != AreaKind.REGION:
        return None
    year = fiscal_year_of(timezone.localdate())
    return route([area], year, public_only=True)[area.pk]


def activities_by_kind(area: Area) -> list[KindList]:
    """The area's published activities by kind (what they do): how many each kind has, in one
    query that reads only the listing index, then the first PER_KIND of each in listing order,
    one short walk along that index per kind. The cost follows the number of kinds (a dozen or
    two), not of activities: a ward of 100,000 among a million takes tens of milliseconds
    (ranking them all in one windowed query took 600–900)."""
    municipality = area.municipality or area  # a municipality's own row names none
    found = Activity.objects.public().of(municipality)
    if area.pk != municipality.pk:
        found = found.within(area)
    kinds = Kind.objects.of(municipality).filter(facet=Facet.ACTIVITY).order_by("sort_order", "pk")
    tests = {kind: _holds(kind) for kind in kinds}
    totals = found.aggregate(**{f"k{kind.pk}": Count("pk", filter=t) for kind, t in tests.items()})
    by_bit = _first_by_bit(found, [kind for kind in kinds if kind.mask is not None
                                   and totals[f"k{kind.pk}"]])  # fmt: skip
    lists = []
    for kind, test in tests.items():
        if total := totals[f"k{kind.pk}"]:
            first: list[Any] | None = by_bit.get(kind.pk)
            if first is None:
                rows = found.filter(test).order_by(*LISTING).values("pk", "name")[:PER_KIND]
                first = list(rows)
            lists.append(KindList(kind.name, kind.code, total, first))
    return lists


# A mask no kind has: where the statement of the kinds' walks takes each kind's own.
_MASK_SLOT = 0x7EDC_BA98_7654_3211


def _first_by_bit(found: QuerySet[Activity], kinds: list[Kind]) -> dict[int, list[dict[str, Any]]]:
    """The first PER_KIND rows of each kind that has a bit, by kind: one statement, written
    once and sent with each kind's mask. The ORM wrote the same statement again for every
    kind, and writing it cost more than running it (the region page's dozen kinds)."""
    if not kinds:
        return {}
    walk = found.filter(GreaterThan(F("kind_bits").bitand(_MASK_SLOT), 0)).order_by(*LISTING)
    sql, params = walk.values_list("pk", "name")[:PER_KIND].query.sql_with_params()
    slot = params.index(_MASK_SLOT)
    rows: dict[int, list[dict[str, Any]]] = {}
    with connections[walk.db].cursor() as cursor:
        for kind in kinds:
            cursor.execute(sql, [*params[:slot], kind.mask, *params[slot + 1 :]])
            rows[kind.pk] = [{"pk": pk, "name": name} for pk, name in cursor.fetchall()]
    return rows


def _holds(kind: Kind) -> Q:
    """Activities of this kind: its bit in the listing index, else its links."""
    if kind.mask is not None:
        return Q(GreaterThan(F("kind_bits").bitand(kind.mask), 0))
    links = Activity.kinds.through.objects.filter(kind_id=kind.pk).values("activity_id")
    return Q(pk__in=links)
