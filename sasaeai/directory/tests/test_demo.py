import csv
import datetime as dt
import math
import re
import string
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from sasaeai.areas.models import Area
from sasaeai.directory.demo import build_activities, load_data
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

    # Every way of repeating appears; some activities meet twice, never at clashing times.
    schedules = Schedule.objects.filter(activity__in=activities)
    assert set(schedules.values_list("frequency", flat=True)) == set(Frequency.values)
    twice = [a for a in activities.prefetch_related("schedules") if a.schedules.count() == 2]
    assert made * 0.05 < len(twice) < made * 0.3
    for activity in twice:
        one, other = activity.schedules.all()
        assert Frequency.IRREGULAR not in (one.frequency, other.frequency), activity.name
        when = ("frequency", "weekdays", "day_of_month", "opens_at")
        assert [getattr(one, f) for f in when] != [getattr(other, f) for f in when]
    for schedule in schedules.exclude(opens_at=None):
        opens, closes = schedule.opens_at, schedule.closes_at
        assert opens is not None and closes is not None and opens < closes, schedule
    assert schedules.filter(frequency=Frequency.IRREGULAR, opens_at=None).exists()

    # All places lie within about a kilometre of their region's centre.
    for place in Place.objects.filter(activity__in=activities).select_related("activity__area"):
        area = place.activity.area
        assert place.latitude is not None and place.longitude is not None
        assert area.latitude is not None and area.longitude is not None
        distance = metres_between(area.latitude, area.longitude, place.latitude, place.longitude)
        assert distance < 1000, (place.name, area.name, distance)
        assert place.address.startswith("板橋区")

    # Activities share the places and groups of their region.
    centres = Place.objects.filter(activity__in=activities, name__startswith="高島平地域センター")
    assert centres.values("activity").distinct().count() > 3
    assert len({(p.latitude, p.longitude) for p in centres}) == 1
    assert (
        Organization.objects.filter(activities__area__code="takashimadaira")
        .filter(name="高島平地区民生委員・児童委員協議会")
        .exists()
    )

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


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def placeholders(pattern: str) -> set[str]:
    return {field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field}


def test_the_data_file_refers_only_to_what_exists() -> None:
    """data/demo/activities.toml is edited by hand: a slip shows here, not in `make run`."""
    data = load_data()
    base = Path(settings.BASE_DIR) / "data"
    kinds = rows_of(base / "kinds" / "default.csv")
    activity_kinds = {k["code"] for k in kinds if k["facet"] == "activity"}
    organiser_kinds = {k["code"] for k in kinds if k["facet"] == "organiser"}
    regions = {a["code"] for a in rows_of(base / "areas" / "itabashi.csv") if a["kind"] == "region"}
    known = {"区", "地域", "町", "町丁目", "地名", "住所", "花", "学校", "団体", "種類"}

    assert data["municipality"] == "131199"
    assert set(data["regions"]) == regions
    for code, region in data["regions"].items():
        assert region["towns"] and region["schools"], code
        for town in region["towns"]:
            assert HIRAGANA.match(town[1]) and town[2:] in ([], *([n] for n in range(1, 10)))
        assert all(HIRAGANA.match(kana) for _name, kana in region["schools"]), code
    assert set(data["chances"]["status"]) == set(Status.values)
    assert {f["frequency"] for f in data["styles"].values()} == set(Frequency.values)
    used = {c for r in data["recipes"] for c in r["kinds"]}
    assert used == activity_kinds
    for recipe in [*data["recipes"], data["custom_recipe"]]:
        label = recipe["names"][0][0]
        assert set(recipe.get("kinds", [])) <= activity_kinds, label
        assert set(recipe["maybe"]) <= activity_kinds, label
        assert set(recipe["organisers"]) <= organiser_kinds | {"none"}, label
        assert set(recipe["venues"]) <= set(data["venues"]), label
        assert set(recipe["styles"]) <= set(data["styles"]), label
        assert recipe["closers"] in data["closers"], label
        for times in recipe["times"]:
            opens, closes = (dt.datetime.strptime(t, "%H:%M") for t in times.split("〜"))
            assert opens < closes, (label, times)
        for name in recipe["names"]:
            assert 2 <= len(name) <= 3 and placeholders(name[0]) == placeholders(name[1]), name
            assert placeholders(name[0]) <= known, name
            assert HIRAGANA.match(re.sub(r"\{[^}]*\}", "", name[1])), name
        texts = [*recipe["descriptions"], *recipe["fees"], *recipe["joins"]]
        assert all(placeholders(text) <= known for text in texts), label
    for code, group in data["groups"].items():
        for name in group["names"]:
            assert placeholders(name[0]) == placeholders(name[1]) <= known, (code, name)
    for code, venue in data["venues"].items():
        texts = [*venue["names"], venue["address"]]
        assert all(placeholders(text) <= known for text in texts), code
