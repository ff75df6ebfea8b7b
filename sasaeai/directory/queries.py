"""The public search: words, filters and distance, answered from indexes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Power

from sasaeai.areas.models import Area

from .models import Activity, Place
from .search import match_q, normalize, query_tokens

KM_PER_DEGREE = 111.32
DAYPART_BITS = {"morning": 1, "afternoon": 2, "evening": 4}


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def box(self, radius_km: float) -> tuple[float, float, float, float]:
        dlat = radius_km / KM_PER_DEGREE
        dlng = radius_km / (KM_PER_DEGREE * math.cos(math.radians(self.latitude)))
        return (
            self.latitude - dlat,
            self.latitude + dlat,
            self.longitude - dlng,
            self.longitude + dlng,
        )

    def km_to(self, latitude: float, longitude: float) -> float:
        """Great-circle distance (haversine), in kilometres."""
        p1, p2 = math.radians(self.latitude), math.radians(latitude)
        dp, dl = p2 - p1, math.radians(longitude - self.longitude)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(a))


def public_search(municipality: Area, data: dict[str, Any]) -> QuerySet[Activity]:
    """Published public activities of a municipality matching a validated SearchForm."""
    found: QuerySet[Activity] = Activity.objects.of(municipality).public()
    words = data.get("q") or ""
    if tokens := query_tokens(words):
        found = found.filter(match_q(tokens))
    if area := data.get("area"):
        found = found.filter(area__in=Area.objects.within(area))
    if kind := data.get("kind"):
        found = found.filter(kinds=kind)
    if (weekday := data.get("weekday")) not in (None, ""):
        found = found.alias(day=F("weekday_bits").bitand(1 << int(weekday))).filter(day__gt=0)
    if daypart := data.get("time"):
        found = found.alias(part=F("daypart_bits").bitand(DAYPART_BITS[daypart])).filter(part__gt=0)
    for flag, field in (("free", "is_free"), ("newcomers", "welcomes_newcomers"),
                        ("step_free", "step_free")):  # fmt: skip
        if data.get(flag):
            found = found.filter(**{field: True})
    order: list[Any] = []
    if words.strip():
        hit = Q(name__icontains=words.strip()) | Q(kana__contains=normalize(words))
        found = found.annotate(relevance=Case(When(hit, then=Value(1)), default=Value(0),
                                              output_field=IntegerField()))  # fmt: skip
        order.append("-relevance")
    if near := data.get("near"):
        found = near_filter(found, near, data.get("radius") or 2.0)
        order.append("distance")
    return found.order_by(*order, "kana", "name", "id")


def near_filter(found: QuerySet[Activity], point: Point, radius_km: float) -> QuerySet[Activity]:
    """Keep activities with a place inside the box around `point`; annotate squared distance."""
    south, north, west, east = point.box(radius_km)
    nearby = Place.objects.filter(latitude__range=(south, north), longitude__range=(west, east))
    scale = math.cos(math.radians(point.latitude))
    squared = Power(F("latitude") - point.latitude, 2) + Power(
        (F("longitude") - point.longitude) * scale, 2
    )
    closest = (
        Place.objects.filter(activity=OuterRef("pk"), latitude__isnull=False)
        .annotate(d=squared)
        .order_by("d")
        .values("d")[:1]
    )
    return found.filter(pk__in=nearby.values("activity_id")).annotate(distance=Subquery(closest))
