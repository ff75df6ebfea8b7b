"""Suggestions: for a need, published activities and helpers; for a helper, activities looking
for help (仲間募集). Each suggestion says why it was suggested.

Candidates are read from indexes, bounded: the need's region and the regions whose centres are
within NEAR_KM, the kind as a bit test on `Activity.kind_bits` (in the listing indexes), and a
LIMIT; only those few hundred rows are ranked here in Python, so the cost does not grow with
the size of the directory.

Distances: a need holds no address (by design), so it stands at its area's centre. An activity
without a located place, or a helper without a point, is ranked from its area's centre too, but
its reason says that the distance is not known instead of showing a made-up one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity, Place, Status, Visibility
from sasaeai.directory.search_query import Point

from .models import Helper, LookingFor, Need, NeedKind, PeerCall, when_in_words

NEAR_KM = 3.0  # regions whose centres are this close count as "near"
CANDIDATES = 200  # rows read in the starting region at most
NEAR_CANDIDATES = 100  # and in the near regions together
PER_NEAR_REGION = 30  # 仲間募集 read per near region
# What a peer call suggestion reads of the call and its activity (not the wide search text).
CALL_COLUMNS = ("id", "what", "activity_id", "activity__name", "activity__area_id",
                "activity__kind_bits", "activity__weekday_bits",
                "activity__daypart_bits")  # fmt: skip
SHOWN = 10  # suggestions returned per list
# What each reason is worth when ranking; distance takes away a little per kilometre.
KIND_SCORE, AREA_SCORE, TIME_SCORE, KM_PENALTY = 4.0, 2.0, 2.0, 1.0


@dataclass(frozen=True)
class Suggestion:
    """One thing to suggest: an activity, a helper or a peer call, and why."""

    kind: str  # "activity" | "helper" | "peer_call"
    pk: int
    name: str
    area_name: str
    score: float
    reasons: tuple[str, ...]
    km: float | None = None
    activity_id: int | None = None
    ref: str = ""  # a helper's number (H-2026-0042): shown where the name may not be

    @property
    def why(self) -> str:
        return "・".join(self.reasons)


@dataclass(frozen=True)
class NeedMatches:
    activities: list[Suggestion] = field(default_factory=list)
    helpers: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True)
class Nearby:
    """The regions near a starting area, and every area under them (ids)."""

    region: Area | None
    same: frozenset[int]  # the starting region and the areas under it
    near: frozenset[int]  # the same, plus the near regions' areas
    names: dict[int, str]
    centres: dict[int, Point]
    # The areas of the starting region, then those of the near ones: a query each (with a
    # LIMIT) reads the candidates from the area indexes, however big the city.
    groups: tuple[frozenset[int], ...] = ()
    regions: tuple[frozenset[int], ...] = ()  # each chosen region's areas, the starting first
    # The reasons' words, translated once per call (gettext per suggestion costs more than
    # the queries): kind matches, same area, distance, no address to measure from.
    words: tuple[str, str, str, str] = ("", "", "", "")

    @classmethod
    def around(cls, area: Area, near_km: float = NEAR_KM) -> Nearby:
        municipality = area.municipality or area
        rows = list(Area.objects.of(municipality).only("id", "path", "name", "kind", "latitude",
                                                        "longitude"))  # fmt: skip
        regions = [a for a in rows if a.kind == "region"]
        region = next((r for r in regions if r.contains(area)), None)
        start = region or area
        centre = point_of(start)
        chosen = [r for r in regions if r.pk == start.pk or (
            centre is not None and (p := point_of(r)) is not None
            and centre.km_to(p.latitude, p.longitude) <= near_km)]  # fmt: skip
        if start not in chosen:
            chosen.append(start)

        def under(top: Area) -> set[int]:
            return {a.pk for a in rows if top.contains(a)}

        near: set[int] = set()
        for r in chosen:
            near |= under(r)
        groups = tuple(g for g in (frozenset(under(start)), frozenset(near - under(start))) if g)
        chosen.sort(key=lambda r: (r.pk != start.pk, r.path))
        regions_ = tuple(frozenset(under(r)) for r in chosen)
        centres: dict[int, Point] = {}
        by_path = {a.path: a for a in rows}
        for a in rows:  # an area without a centre takes its region's
            p = point_of(a) or point_of(by_path.get(a.path.rsplit("/", 1)[0], a))
            if p is not None:
                centres[a.pk] = p
        return cls(region=region, same=frozenset(under(start)), near=frozenset(near),
                   names={a.pk: a.name for a in rows}, centres=centres,
                   groups=groups, regions=regions_,
                   words=(_("種類が合う"), _("同じ地域"), _("約 %(km).1f km"),
                          _("住所がないため距離はわかりません")))  # fmt: skip


def point_of(area: Area) -> Point | None:
    if area.latitude is None or area.longitude is None:
        return None
    return Point(area.latitude, area.longitude)


def places_of(activity_ids: list[int]) -> dict[int, list[tuple[float, float]]]:
    """The located places of these activities (read from the activity index), by activity."""
    places: dict[int, list[tuple[float, float]]] = defaultdict(list)
    found = Place.objects.filter(
        activity_id__in=activity_ids, latitude__isnull=False, longitude__isnull=False
    )
    for activity_id, lat, lng in found.values_list("activity_id", "latitude", "longitude"):
        if lat is not None and lng is not None:  # filtered above; for the type checker
            places[activity_id].append((lat, lng))
    return places


def bits_q(column: str, mask: int) -> Q:
    return Q(GreaterThan(F(column).bitand(mask), 0))


def kind_filter(kinds: list[NeedKind]) -> Q | None:
    """The activity kinds answering these need kinds, as a bit test where every one has a
    bit (it is in the listing indexes), else through the kind links."""
    activity_kinds = {k for nk in kinds for k in nk.activity_kinds.all()}
    if not activity_kinds:
        return None
    if all(k.mask is not None for k in activity_kinds):
        mask = 0
        for k in activity_kinds:
            mask |= k.mask or 0
        return bits_q("kind_bits", mask)
    return Q(pk__in=Activity.kinds.through.objects.filter(
        kind__in=activity_kinds).values("activity_id"))  # fmt: skip


def time_reason(weekday_bits: int, daypart_bits: int, other_days: int, other_parts: int) -> str:
    """「水曜の午後」 when the times overlap; "" when either side is unknown or they do not."""
    days = weekday_bits & other_days if weekday_bits and other_days else 0
    parts = daypart_bits & other_parts if daypart_bits and other_parts else 0
    if (weekday_bits and other_days and not days) or (daypart_bits and other_parts and not parts):
        return ""
    return when_in_words(days, parts)


def suggest_for_need(
    need: Need, *, weekday_bits: int = 0, daypart_bits: int = 0, limit: int = SHOWN
) -> NeedMatches:
    """Published activities and active helpers that could meet this need, best first.

    `weekday_bits` / `daypart_bits`: when the person needs it, if the SC knows.
    """
    nearby = Nearby.around(need.area)
    origin = nearby.centres.get(need.area_id)
    activities = _activities_for(need, nearby, origin, weekday_bits, daypart_bits)
    helpers = _helpers_for(need, nearby, origin, weekday_bits, daypart_bits)
    return NeedMatches(activities=activities[:limit], helpers=helpers[:limit])


def _activities_for(need: Need, nearby: Nearby, origin: Point | None, weekday_bits: int,
                    daypart_bits: int) -> list[Suggestion]:  # fmt: skip
    kinds = kind_filter([need.kind])
    if kinds is None:
        return []
    base = Activity.objects.filter(
        kinds, municipality_id=need.municipality_id, status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
    )  # fmt: skip
    columns = ("id", "name", "area_id", "weekday_bits", "daypart_bits")
    rows: dict[int, tuple] = {}
    # The need's own region first, then each near one; within each, the wished time first.
    for index, areas in enumerate(nearby.groups):
        limit = CANDIDATES if index == 0 else NEAR_CANDIDATES
        scoped = base.filter(area_id__in=sorted(areas))
        queries = [scoped]
        if weekday_bits or daypart_bits:
            timed = scoped
            if weekday_bits:
                timed = timed.filter(bits_q("weekday_bits", weekday_bits))
            if daypart_bits:
                timed = timed.filter(bits_q("daypart_bits", daypart_bits))
            queries.insert(0, timed)
        found: dict[int, tuple] = {}
        for query in queries:
            if len(found) >= limit:
                break
            for row in query.order_by().values_list(*columns)[: limit - len(found)]:
                found.setdefault(row[0], row)
        rows.update(found)
    places = places_of(list(rows)) if origin is not None and rows else {}
    suggestions = []
    for pk, name, area_id, days, parts in rows.values():
        km = None
        located = bool(places.get(pk))
        if origin is not None:
            spots = places.get(pk) or ([(c.latitude, c.longitude)]
                                       if (c := nearby.centres.get(area_id)) else [])  # fmt: skip
            if spots:
                km = min(origin.km_to(lat, lng) for lat, lng in spots)
        when = time_reason(weekday_bits, daypart_bits, days, parts)
        suggestions.append(_rank("activity", pk, name, area_id, nearby, need.area_id, km, when,
                                 located=located))  # fmt: skip
    return sorted(suggestions, key=lambda s: (-s.score, s.km or 0.0, s.name, s.pk))


def _helpers_for(need: Need, nearby: Nearby, origin: Point | None, weekday_bits: int,
                 daypart_bits: int) -> list[Suggestion]:  # fmt: skip
    columns = ("id", "number_year", "number_seq", "name", "area_id", "weekday_bits",
               "daypart_bits", "latitude", "longitude")  # fmt: skip
    query: list[tuple] = []
    for index, areas in enumerate(nearby.groups):
        limit = CANDIDATES if index == 0 else NEAR_CANDIDATES
        scoped = Helper.objects.active().filter(area_id__in=sorted(areas), kinds=need.kind)
        query += list(scoped.order_by().values_list(*columns)[:limit])
    suggestions = []
    for pk, year, seq, name, area_id, days, parts, lat, lng in query:
        km = None
        located = lat is not None and lng is not None
        spot = Point(lat, lng) if located else nearby.centres.get(area_id)
        if origin is not None and spot is not None:
            km = origin.km_to(spot.latitude, spot.longitude)
        when = time_reason(weekday_bits, daypart_bits, days, parts)
        number = f"H-{year}-{seq:04d}"
        found = _rank("helper", pk, name or number, area_id, nearby, need.area_id, km, when,
                      located=located)  # fmt: skip
        suggestions.append(replace(found, ref=number))
    return sorted(suggestions, key=lambda s: (-s.score, s.km or 0.0, s.pk))


def _rank(kind: str, pk: int, name: str, area_id: int, nearby: Nearby, home_area_id: int,
          km: float | None, when: str, *, kind_matches: bool = True,
          activity_id: int | None = None, located: bool = True) -> Suggestion:  # fmt: skip
    """`km` may be measured from or to an area's centre, standing in for an address that is
    not known (`located` False): it still ranks, but the reason says the distance is not
    known rather than showing it."""
    reasons: list[str] = []
    score = 0.0
    if kind_matches:
        reasons.append(nearby.words[0])
        score += KIND_SCORE
    if area_id == home_area_id or area_id in nearby.same:
        reasons.append(nearby.words[1])
        score += AREA_SCORE
    if km is not None:
        score -= KM_PENALTY * km
    if km is not None and located:
        reasons.append(nearby.words[2] % {"km": km})
    else:
        reasons.append(nearby.words[3])
        km = None
    if when:
        reasons.append(when)
        score += TIME_SCORE
    return Suggestion(kind=kind, pk=pk, name=name, area_name=nearby.names.get(area_id, ""),
                      score=round(score, 3), reasons=tuple(reasons),
                      km=None if km is None else round(km, 2), activity_id=activity_id)  # fmt: skip


def suggest_for_helper(helper: Helper, *, limit: int = SHOWN) -> list[Suggestion]:
    """Open calls for helpers (仲間募集) of running activities near the helper, best first."""
    nearby = Nearby.around(helper.area)
    lat, lng = helper.latitude, helper.longitude
    placed = lat is not None and lng is not None
    origin = (Point(lat, lng) if lat is not None and lng is not None
              else nearby.centres.get(helper.area_id))  # fmt: skip
    kinds = list(helper.kinds.prefetch_related("activity_kinds"))
    wanted = {k for nk in kinds for k in nk.activity_kinds.all()}
    calls: list[tuple] = []
    # One query per region: each reads its open calls from the (area, looking_for) index.
    for index, areas in enumerate(nearby.regions):
        most = CANDIDATES if index == 0 else PER_NEAR_REGION
        found = (
            PeerCall.objects.open()
            .filter(looking_for=LookingFor.HELPERS, area_id__in=sorted(areas))
            .exclude(activity__status=Status.ENDED)
            .order_by()
            .values_list(*CALL_COLUMNS)[:most]
        )
        calls += list(found)
    activity_ids = [call[2] for call in calls]
    mask = 0
    for kind in wanted:
        mask |= kind.mask or 0
    links: dict[int, set[int]] = defaultdict(set)
    if any(kind.mask is None for kind in wanted):  # a kind without a bit: read the links
        for activity_id, kind_id in Activity.kinds.through.objects.filter(
            activity_id__in=activity_ids, kind__in=wanted
        ).values_list("activity_id", "kind_id"):
            links[activity_id].add(kind_id)
    places = places_of(activity_ids)
    suggestions = []
    for pk, what, activity_id, name, area_id, kind_bits, days, parts in calls:
        km = None
        spots = places.get(activity_id) or (
            [(c.latitude, c.longitude)] if (c := nearby.centres.get(area_id)) else []
        )
        if origin is not None and spots:
            km = min(origin.km_to(lat, lng) for lat, lng in spots)
        when = time_reason(helper.weekday_bits, helper.daypart_bits, days, parts)
        suggestions.append(_rank(
            "peer_call", pk, f"{name}：{what}", area_id, nearby, helper.area_id, km, when,
            kind_matches=bool(kind_bits & mask or links[activity_id]), activity_id=activity_id,
            located=placed and bool(places.get(activity_id)),
        ))  # fmt: skip
    suggestions.sort(key=lambda s: (-s.score, s.km or 0.0, s.pk))
    return suggestions[:limit]
