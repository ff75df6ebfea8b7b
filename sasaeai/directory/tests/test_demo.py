import datetime as dt
import math
import re
from typing import Any

from django.db import transaction

from sasaeai.areas.models import Area
from sasaeai.directory.demo import build_activities
from sasaeai.directory.models import (
    Activity,
    Facet,
    Frequency,
    Kind,
    Organization,
    Place,
    Schedule,
    Status,
    Visibility,
)

SEED = 20261126
TODAY = dt.date(2026, 11, 26)
HIRAGANA = re.compile(r"^[\u3041-\u3096ー・]+$")


def metres_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    dlat = math.radians(lat2 - lat1)
    dlng = math.radians(lng2 - lng1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def names(ward: Area) -> list[str]:
    return list(
        Activity.objects.of(ward).order_by("area__sort_order", "id").values_list("name", flat=True)
    )


def test_builds_a_realistic_directory_for_every_region(itabashi: Any) -> None:
    # The same seed in a fresh database gives the same activities (the first run is rolled back).
    with transaction.atomic():
        build_activities(itabashi, SEED, today=TODAY)
        first = names(itabashi)
        transaction.set_rollback(True)
    assert not Activity.objects.exists()
    made = build_activities(itabashi, SEED, today=TODAY)
    assert names(itabashi) == first
    activities = Activity.objects.of(itabashi)
    assert made == activities.count() == len(first)

    regions = list(Area.objects.of(itabashi).regions())
    assert len(regions) == 18
    for region in regions:
        assert 40 <= activities.filter(area=region).count() <= 80, region.name
        in_region = list(activities.filter(area=region).values_list("name", flat=True))
        assert len(in_region) == len(set(in_region)), region.name

    # Every kind of both facets is used.
    kinds = Kind.objects.of(itabashi)
    assert {k.facet for k in kinds} == {Facet.ACTIVITY, Facet.ORGANISER}
    used = set(kinds.filter(activities__isnull=False).values_list("code", flat=True))
    assert used == set(kinds.values_list("code", flat=True))

    # Each activity: 1–2 kinds of what it does, at most one organiser kind, a reading in
    # hiragana, one place and one or two schedules; the fee agrees with is_free.
    for activity in activities.prefetch_related("kinds", "places", "schedules"):
        facets = [k.facet for k in activity.kinds.all()]
        assert 1 <= facets.count(Facet.ACTIVITY) <= 2, activity.name
        assert facets.count(Facet.ORGANISER) <= 1, activity.name
        assert HIRAGANA.match(activity.kana), (activity.name, activity.kana)
        assert len(activity.places.all()) == 1
        assert 1 <= len(activity.schedules.all()) <= 2
        assert activity.is_free == activity.fee.startswith("無料")
        assert activity.contact_phone.startswith("03-5")
        assert "例" in activity.contact_name
        assert activity.search_tokens  # indexed through save_activity
    assert activities.filter(organization__isnull=False).count() > made * 0.9
    for organization in Organization.objects.filter(municipality=itabashi):
        assert HIRAGANA.match(organization.kana), organization.name

    # A mix of states: mostly published, some kept from residents, some unconfirmed for a year.
    assert activities.filter(status=Status.PUBLISHED).count() > made / 2
    assert {s for s, _ in Status.choices} == set(activities.values_list("status", flat=True))
    assert activities.filter(visibility=Visibility.STAFF).exists()
    informal = activities.filter(kinds__code__in=["tea", "dog-walking"]).distinct()
    assert informal.filter(visibility=Visibility.STAFF).count() > informal.count() * 0.8
    stale = activities.needs_confirming(TODAY).count()
    assert made * 0.08 < stale < made * 0.35
    assert not activities.filter(last_confirmed__gt=TODAY).exists()

    # Every way of repeating appears.
    frequencies = Schedule.objects.filter(activity__in=activities).values_list("frequency")
    assert {f for (f,) in frequencies} == set(Frequency.values)

    # All places lie within about a kilometre of their region's centre.
    for place in Place.objects.filter(activity__in=activities).select_related("activity__area"):
        area = place.activity.area
        assert place.latitude is not None and place.longitude is not None
        assert area.latitude is not None and area.longitude is not None
        distance = metres_between(area.latitude, area.longitude, place.latitude, place.longitude)
        assert distance < 1000, (place.name, area.name, distance)
        assert place.address.startswith("板橋区")

    # Running again adds nothing.
    assert build_activities(itabashi, SEED, today=TODAY) == 0
    assert Activity.objects.of(itabashi).count() == made


def test_a_municipality_without_town_lists_or_centres(itabashi: Any) -> None:
    town = Area.objects.get(code="999991")  # みどり町: no town lists, no lat/lng
    # Kinds a municipality added itself are used too.
    Kind.objects.create(
        municipality=town,
        facet=Facet.ACTIVITY,
        code="gardening",
        name="花壇づくり",
        kana="カダンヅクリ",
    )
    Kind.objects.create(
        municipality=town, facet=Facet.ORGANISER, code="church", name="教会", kana="きょうかい"
    )
    made = build_activities(town, SEED, today=TODAY)
    activities = Activity.objects.of(town)
    assert made == activities.count()
    for region in Area.objects.of(town).regions():
        assert 40 <= activities.filter(area=region).count() <= 80
    assert all(HIRAGANA.match(kana) for kana in activities.values_list("kana", flat=True))
    kinds = Kind.objects.of(town)
    used = set(kinds.filter(activities__isnull=False).values_list("code", flat=True))
    assert used == set(kinds.values_list("code", flat=True))
    places = Place.objects.filter(activity__in=activities)
    assert not places.filter(latitude__isnull=False).exists()
    assert all(p.address.startswith("みどり町") for p in places)
    assert not Activity.objects.of(itabashi).exists()
    assert build_activities(town, SEED + 1, today=TODAY) == 0
