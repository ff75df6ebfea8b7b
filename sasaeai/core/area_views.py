"""The public page of an area (municipality, block or region): its smaller areas, its
activities by kind and its council. It gathers areas, directory and councils, so it lives in
core, not in areas, which every app builds on and which imports none of them."""

from dataclasses import dataclass
from typing import Any

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
from sasaeai.lib.paths import paths_above
from sasaeai.lib.prepared import Prepared, PreparedAny, PreparedIn
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
        "ancestors": _ABOVE(paths_above(area.path)),  # area.ancestors()
        "children": _CHILDREN(area.pk),
        "by_kind": activities_by_kind(area),
        "council": council_profile(area),
        "mountain": public_route(area),
        "desk": nearest_desk(area),
        "local_events": local_events,
        "local_total": local_total,
        "footer_desk": None,  # the page shows its desk itself
    }
    return render(request, "areas/detail.html", context)


# The page's own queries, their SQL written once (lib/prepared.py): an area's smaller areas,
# the areas above it (Area.ancestors), those within it (Area.objects.within), the kinds.
_CHILDREN = Prepared(lambda pk: Area.objects.filter(parent_id=pk), arity=1)
_ABOVE = PreparedIn(lambda paths: Area.objects.filter(path__in=paths).order_by("path"))
_WITHIN = PreparedAny(
    lambda path: Area.objects.within(Area(path=path)).values_list("pk", flat=True), (str,)
)
_KINDS = Prepared(
    lambda municipality: (
        Kind.objects.filter(municipality_id=municipality)
        .filter(facet=Facet.ACTIVITY)
        .order_by("sort_order", "pk")
    ),
    arity=1,
)
_DESKS = PreparedIn(
    lambda paths: AreaContact.objects.filter(area__path__in=paths).select_related("area")
)


def nearest_desk(area: Area) -> AreaContact | None:
    """AreaContact.objects.nearest(area) (the area's own desk, else the nearest above it),
    from one query written once."""
    lines = [*paths_above(area.path), area.path]
    found = {desk.area.path: desk for desk in _DESKS(lines)}
    return next((found[path] for path in reversed(lines) if path in found), None)


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
    (ranking them all in one windowed query took 600–900). Both statements are written once
    per municipality, set of kinds and number of areas (lib/prepared.py): writing them
    cost the page more than running them."""
    municipality = area.municipality_id or area.pk  # a municipality's own row names none
    areas: list[int] = []
    if area.pk != municipality:
        areas = _WITHIN(area.path)
        if not areas:
            return []
    kinds = _KINDS(municipality)
    if not kinds:
        return []
    counts, walk = _statements(municipality, kinds, len(areas))
    rows = counts(municipality, *areas)
    totals = dict(zip([kind.pk for kind in kinds], rows[0][1:], strict=True)) if rows else {}
    bitted = [kind for kind in kinds if kind.mask is not None and totals.get(kind.pk)]
    by_bit = _first_by_bit(walk, municipality, areas, bitted)
    lists = []
    for kind in kinds:
        if total := totals.get(kind.pk):
            first: list[Any] | None = by_bit.get(kind.pk)
            if first is None:
                found = _published(municipality, areas)
                linked = found.filter(_holds(kind)).order_by(*LISTING).values("pk", "name")
                first = list(linked[:PER_KIND])
            lists.append(KindList(kind.name, kind.code, total, first))
    return lists


def _published(municipality: int, areas: list[int]) -> QuerySet[Activity]:
    """The published activities of a municipality, of these areas if any are given."""
    found = Activity.objects.public().filter(municipality_id=municipality)
    return found.filter(area_id__in=areas) if areas else found


# The statements of the kinds' counts and walks, by municipality, kinds and number of areas.
_STATEMENTS: dict[tuple[Any, ...], tuple[Prepared[Any], Prepared[Any]]] = {}


def _statements(
    municipality: int, kinds: list[Kind], areas: int
) -> tuple[Prepared[Any], Prepared[Any]]:
    """The counts of each kind (a row: the municipality, then a count per kind in the kinds'
    order; none without activities) and the walk of one kind's first rows by its mask, taking
    the municipality, the areas' keys and the mask."""
    key = (municipality, tuple((kind.pk, kind.mask) for kind in kinds), areas)
    found = _STATEMENTS.get(key)
    if found is None:
        if len(_STATEMENTS) >= 1000:
            _STATEMENTS.clear()

        def counts(municipality: int, *areas: int) -> QuerySet[Any]:
            tested = {f"k{kind.pk}": Count("pk", filter=_holds(kind)) for kind in kinds}
            grouped = _published(municipality, list(areas)).order_by().values("municipality")
            return grouped.annotate(**tested).values_list("municipality", *tested)

        def walk(municipality: int, *rest: int) -> QuerySet[Any]:
            *areas, mask = rest
            found = _published(municipality, areas)
            walk = found.filter(GreaterThan(F("kind_bits").bitand(mask), 0)).order_by(*LISTING)
            return walk.values_list("pk", "name")[:PER_KIND]

        found = _STATEMENTS[key] = (
            Prepared(counts, arity=1 + areas),
            Prepared(walk, arity=2 + areas),
        )
    return found


def _first_by_bit(
    walk: Prepared[Any], municipality: int, areas: list[int], kinds: list[Kind]
) -> dict[int, list[dict[str, Any]]]:
    """The first PER_KIND rows of each kind that has a bit, by kind: one statement, written
    once and sent with each kind's mask. The ORM wrote the same statement again for every
    kind, and writing it cost more than running it (the region page's dozen kinds)."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for kind in kinds:
        found = walk(municipality, *areas, kind.mask)
        rows[kind.pk] = [{"pk": pk, "name": name} for pk, name in found]
    return rows


def _holds(kind: Kind) -> Q:
    """Activities of this kind: its bit in the listing index, else its links."""
    if kind.mask is not None:
        return Q(GreaterThan(F("kind_bits").bitand(kind.mask), 0))
    links = Activity.kinds.through.objects.filter(kind_id=kind.pk).values("activity_id")
    return Q(pk__in=links)
