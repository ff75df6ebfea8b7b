"""Deterministic demo activities (支え合い活動) for every region of a municipality.

The words — towns, schools, name patterns, descriptions, venues, fees, schedules and odds —
live in data/demo/activities.toml, which explains its own notation; this module combines them.
Everything is drawn from one random.Random(seed), and dates count back from `today`, so the
same seed and day always give the same directory.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import tomllib
from pathlib import Path
from typing import Any

import jaconv
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area

from . import survey_options
from .models import Activity, Facet, Frequency, Kind, Organization, Visibility
from .services import ActivityParts, save_activity

DATA = Path(settings.BASE_DIR) / "data" / "demo" / "activities.toml"
WEEKDAYS = "月火水木金土日"
Text = tuple[str, str]  # (written, hiragana reading)
Parts = dict[str, Text]  # what a pattern's {placeholders} stand for: {地域}, {町}, …


@functools.cache
def load_data(path: Path = DATA) -> dict[str, Any]:
    """The demo words, each recipe, style, venue and group completed from its defaults."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for part in ("style", "venue", "group"):
        defaults = data.pop(f"{part}_defaults")
        data[f"{part}s"] = {code: defaults | spec for code, spec in data[f"{part}s"].items()}
    defaults = data.pop("recipe_defaults")
    data["recipes"] = [defaults | recipe for recipe in data["recipes"]]
    data["custom_recipe"] = defaults | data["custom_recipe"]
    return data


def fill(pattern: str, parts: Parts, side: int = 0) -> str:
    """The pattern with its {placeholders} written out (side 1: in the hiragana reading)."""
    return pattern.format_map({key: text[side] for key, text in parts.items()})


def reading(named: Area | Kind) -> str:
    return str(jaconv.kata2hira(named.kana)) if named.kana else named.name


class Builder:
    """One random source for the whole municipality; `region()` fills one region at a time,
    keeping the venues, groups and names made there so later activities can share them."""

    def __init__(self, municipality: Area, rng: random.Random, today: dt.date) -> None:
        self.municipality, self.rng, self.today = municipality, rng, today
        self.data = data = load_data()
        self.odds: dict[str, Any] = data["chances"]
        kinds = list(Kind.objects.of(municipality))
        self.activity_kinds = {k.code: k for k in kinds if k.facet == Facet.ACTIVITY}
        self.organiser_kinds = {k.code: k for k in kinds if k.facet == Facet.ORGANISER}
        recipes = data["recipes"]
        self.recipes = [r for r in recipes if set(r["kinds"]) <= self.activity_kinds.keys()]
        # Kinds the municipality added itself get the plain recipe, so they are used too.
        known = {c for r in recipes for c in r["kinds"]}
        custom = [c for c in self.activity_kinds if c not in known]
        self.recipes += [data["custom_recipe"] | {"kinds": [c]} for c in custom]
        known = {c for r in recipes for c in r["organisers"]}
        self.custom_organisers = [c for c in self.organiser_kinds if c not in known]
        organisations = Organization.objects.filter(municipality=municipality)
        self.organisations = {o.name: o for o in organisations}

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def parts(self, school: list[str] | None = None) -> Parts:
        """Every placeholder, drawn for one town (and maybe one 丁目) of the region."""
        rng, words, city = self.rng, self.data["words"], self.municipality.name
        town, kana, *more = rng.choice(self.towns)
        chome = rng.randint(1, more[0]) if more and more[0] else 0
        street, number = (town, kana), f"{rng.randint(1, 60)}-{rng.randint(1, 25)}"
        if chome:  # 高島平三丁目, 高島平3-12-28
            kanji, sound = words["chome"][chome - 1], words["chome_kana"][chome - 1]
            street = (f"{town}{kanji}丁目", f"{kana}{sound}ちょうめ")
            number = f"{chome}-{rng.randint(1, 40)}-{rng.randint(1, 30)}"
        area, roll = (self.area.name, reading(self.area)), rng.random()
        flower, school = rng.choice(words["flowers"]), school or rng.choice(self.schools)
        return {
            "区": (city, city),
            "地域": area,
            "町": (town, kana),
            "町丁目": street,
            "地名": area if roll < 0.35 else (town, kana) if roll < 0.7 else street,
            "住所": (f"{city}{town}{number}", ""),
            "花": (flower[0], flower[1]),
            "学校": (school[0], school[1]),
        }

    def near(self, radius_m: float) -> tuple[float | None, float | None]:
        """A point at most radius_m from the region's centre (none when it has no centre)."""
        if self.centre is None:
            return None, None
        lat, lng = self.centre
        distance = radius_m * math.sqrt(self.rng.random())
        bearing = self.rng.uniform(0, 2 * math.pi)
        dlat = distance * math.cos(bearing) / 111_320
        dlng = distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
        return round(lat + dlat, 6), round(lng + dlng, 6)

    def group(self, code: str) -> Text:
        """An organising group of this kind in the region, often one that already runs another."""
        spec = self.data["groups"].get(code) or self.data["groups"]["other"]
        known = self.groups.setdefault(code, [])
        if known and self.chance(spec["reuse"]):
            return self.rng.choice(known)
        kind, pattern = self.organiser_kinds[code], self.rng.choice(spec["names"])
        parts = self.parts() | {"種類": (kind.name, reading(kind))}
        known.append((fill(pattern[0], parts), fill(pattern[1], parts, 1)))
        return known[-1]

    def organisation(self, group: Text, code: str) -> str:
        """The group's name, created (with its reading) the first time it is used."""
        existing = self.organisations.get(group[0])
        if existing is None:
            described = self.data["groups"].get(code, {}).get("description", "")
            existing = self.organisations[group[0]] = Organization.objects.create(
                municipality=self.municipality,
                area=self.area,
                name=group[0],
                kana=group[1],
                description=fill(described, {"地域": (self.area.name, "")}),
            )
        return group[0] if existing.area_id == self.area.pk else ""  # a namesake elsewhere

    def venue(self, kind: str, school: list[str]) -> dict[str, Any]:
        """A place of this kind in the region, often one other activities use too."""
        spec = self.data["venues"][kind]
        pool = self.venues.setdefault(kind + (school[0] if kind == "school" else ""), [])
        if pool and self.chance(spec["reuse"]):
            venue = self.rng.choice(pool)
        else:
            parts = self.parts(school)
            latitude, longitude = self.near(spec["radius_m"])
            name = fill(self.rng.choice(spec["names"]), parts)
            venue = {"name": name, "address": fill(spec["address"], parts)}
            pool.append(venue | {"latitude": latitude, "longitude": longitude})
            venue = pool[-1]
        return venue | {"name": venue["name"] + self.rng.choice(spec["rooms"])}

    def schedules(self, recipe: dict[str, Any]) -> list[dict[str, Any]]:
        """One schedule, and now and then a second regular one that does not clash with it."""
        rows = [self.schedule(recipe) for _ in range(1 + self.chance(self.odds["second_schedule"]))]
        return rows[:1] if len(rows) > 1 and clash(*rows) else rows

    def schedule(self, recipe: dict[str, Any]) -> dict[str, Any]:
        """A schedule in one of the recipe's styles (weekly, monthly_nth, …) and times."""
        code, rng = self.pick(recipe["styles"]), self.rng
        style, times = self.data["styles"][code], rng.choice(recipe["times"]).split("〜")
        opens: dt.time | None = None
        closes: dt.time | None = None
        if not self.chance(style["untimed"]):
            opens, closes = (dt.datetime.strptime(t.strip(), "%H:%M").time() for t in times)
        notes = recipe.get(f"{code}_notes") or style["notes"]
        note = rng.choice(notes) if notes and self.chance(style["note_chance"]) else ""
        if not note and recipe["outdoor"] and self.chance(0.5):
            note = self.odds["rain"]
        days = rng.choice(style["weekdays"]) if style["weekdays"] else ""
        return {
            "frequency": Frequency(style["frequency"]),
            "weekdays": ",".join(sorted(str(WEEKDAYS.index(d)) for d in days if d in WEEKDAYS)),
            "nth": rng.choice(style["nth"]) if style["nth"] else None,
            "day_of_month": rng.choice(style["days"]) if style["days"] else None,
            "opens_at": opens,
            "closes_at": closes,
            "note": note,
        }

    def activity(self, recipe: dict[str, Any]) -> bool:
        """Build and save one activity of the recipe; False when no fresh name was found."""
        rng, odds, words = self.rng, self.odds, self.data["words"]
        usable = {c: w for c, w in recipe["organisers"].items() if c in self.organiser_kinds}
        usable |= {"none": recipe["organisers"].get("none", 0)}
        usable |= dict.fromkeys(self.custom_organisers, 1)
        code = self.pick(usable) if any(usable.values()) else "none"
        group = self.group(code) if code != "none" and not recipe["name_is_org"] else None
        school, first = rng.choice(self.schools), self.activity_kinds[recipe["kinds"][0]]
        for _attempt in range(12):
            parts = self.parts(school) | {"種類": (first.name, reading(first))}
            parts["団体"] = group or parts["地名"]
            pattern = rng.choice(recipe["names"])
            if (name := fill(pattern[0], parts)) not in self.names:
                break
        else:
            return False
        self.names.add(name)
        kana = fill(pattern[1], parts, 1)
        organisation = self.organisation(group or (name, kana), code)
        kinds = [self.activity_kinds[c] for c in recipe["kinds"]]
        extra = [c for c in recipe["maybe"] if c in self.activity_kinds.keys() - recipe["kinds"]]
        if len(kinds) == 1 and extra and self.chance(odds["second_kind"]):
            kinds.append(self.activity_kinds[rng.choice(extra)])
        kinds += [self.organiser_kinds[code]] if code != "none" else []
        informal = any(k.code in odds["informal_kinds"] for k in kinds)
        venue = self.pick(recipe["venues"])
        place, indoors = self.venue(venue, school), venue in {"centre", "ikoi"}

        welcomes = self.chance(odds["welcomes_informal" if informal else "welcomes_newcomers"])
        sentences = recipe["descriptions"]  # one or two, unless the name brings its own
        chosen = rng.sample(range(len(sentences)), min(len(sentences), 1 + self.chance(0.4)))
        description = (
            pattern[2] if len(pattern) > 2 else "".join(sentences[i] for i in sorted(chosen))
        )
        closers = self.data["closers"][recipe["closers"]]
        if welcomes and closers and self.chance(0.6):
            description += rng.choice(closers)
        fee, audience, join = (rng.choice(recipe[key]) for key in ("fees", "audiences", "joins"))
        staff_only = self.chance(odds["staff_only_informal" if informal else "staff_only_other"])
        capacity = rng.randint(*recipe["capacity"]) if recipe["capacity"] else None
        activity = Activity(
            area=self.area,
            name=name,
            kana=kana,
            description=fill(description, parts),
            status=self.pick(odds["status"]),
            visibility=Visibility.STAFF if staff_only else Visibility.PUBLIC,
            fee=fee,
            is_free=fee.startswith("無料"),
            audience=audience,
            capacity=capacity if self.chance(0.3) else None,
            welcomes_newcomers=welcomes,
            how_to_join=join,
            step_free=self.chance(0.7 if indoors else 0.15),
            accessible_toilet=self.chance(0.5 if indoors else 0.05),
            pick_up=self.chance(recipe["pick_up"]),
            contact_name=f"{rng.choice(words['surnames'])} {rng.choice(words['given'])}（例）",
            contact_phone=f"03-5{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
            contact_public=self.chance(odds["contact_public"]),
            last_confirmed=self.last_confirmed(),
        )
        schedules = self.schedules(recipe)
        save_activity(activity, ActivityParts(kinds, organisation, [place], schedules))
        return True

    def last_confirmed(self) -> dt.date | None:
        spans = self.odds["last_confirmed"]
        span = spans[self.pick({key: span["weight"] for key, span in spans.items()})]
        if "days" not in span:
            return None
        return self.today - dt.timedelta(days=self.rng.randint(*span["days"]))

    def region(self, area: Area) -> int:
        """Fill one region: an activity of every kind first, then as the recipes' weights fall."""
        listed = self.municipality.code == self.data["municipality"]
        lists = self.data["regions"].get(area.code, {}) if listed else {}
        self.area = area
        self.towns: list[list[Any]] = lists.get("towns") or [[area.name, reading(area)]]
        own_school = [f"{area.name}小", f"{reading(area)}しょう"]
        self.schools: list[list[str]] = lists.get("schools") or [own_school]
        at = area if area.latitude is not None else self.municipality
        self.centre = (at.latitude, at.longitude) if at.latitude and at.longitude else None
        self.venues: dict[str, list[dict[str, Any]]] = {}
        self.groups: dict[str, list[Text]] = {}
        self.names: set[str] = set()

        by_kind: dict[str, list[dict[str, Any]]] = {}
        for recipe in self.recipes:
            by_kind.setdefault(recipe["kinds"][0], []).append(recipe)
        first = [self.rng.choices(rs, [r["weight"] for r in rs])[0] for rs in by_kind.values()]
        self.rng.shuffle(first)
        made = sum(self.activity(recipe) for recipe in first)
        target = self.rng.randint(*self.odds["activities_per_region"])
        weights = [r["weight"] for r in self.recipes]
        for _attempt in range(target * 3):
            if made >= target:
                break
            made += self.activity(self.rng.choices(self.recipes, weights)[0])
        return made


def clash(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two schedules might fall on the same day at overlapping times."""
    if Frequency.IRREGULAR in (a["frequency"], b["frequency"]) or None in (
        a["opens_at"],
        b["opens_at"],
    ):
        return True  # an irregular or untimed activity keeps to one schedule
    weekdays = set(a["weekdays"].split(",")) & set(b["weekdays"].split(",")) - {""}
    same_day = weekdays or (a["day_of_month"] and a["day_of_month"] == b["day_of_month"])
    return bool(same_day) and a["opens_at"] < b["closes_at"] and b["opens_at"] < a["closes_at"]


def build_activities(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Add 40–80 demo activities to every region of the municipality; return how many.

    Does nothing (and returns 0) when the municipality already has activities.
    """
    if Activity.objects.of(municipality).exists():
        return 0
    builder = Builder(municipality, random.Random(seed), today or timezone.localdate())
    regions = list(Area.objects.of(municipality).regions().select_related("municipality"))
    with transaction.atomic():
        made = sum(builder.region(area) for area in regions)
        add_survey_answers(municipality, seed)
        return made


# The national survey's fields, from what the demo made: the main content and who runs it by
# the activity's kinds (the first kind that tells), the venue by words of its place's name.
SURVEY_CONTENT = {
    "exercise": "exercise", "salon": "tea-party", "tea": "tea-party", "hobby": "hobby",
}  # fmt: skip
SURVEY_OPERATOR = {
    "neighbourhood": "residents-group", "seniors-club": "residents-group",
    "volunteer": "residents-group", "welfare-commissioner": "residents-group", "npo": "npo",
}  # fmt: skip
SURVEY_VENUE = {
    "町内": "", "正門前": "",  # watching over the streets: no venue
    "自宅": "home", "公園": "outdoor", "児童遊園": "outdoor", "商店街": "shop", "カフェ": "shop",
    "喫茶": "shop",
}  # fmt: skip


def add_survey_answers(municipality: Area, seed: int) -> None:
    """Give the municipality's activities plausible values for the survey's fields (mostly
    住民団体 in a 集会所; content where the kind tells, now and then left unrecorded).

    Drawn after everything else, from a random source of their own and written in one
    bulk update, so that adding them changed no other demo value."""
    rng = random.Random(seed + 31)
    known = {name: dict(survey_options.choices(of)) for name, of in survey_options.FIELDS.items()}
    activities = list(
        Activity.objects.of(municipality).order_by("pk").prefetch_related("kinds", "places")
    )
    for activity in activities:
        kinds = [kind.code for kind in activity.kinds.all()]
        place = next(iter(activity.places.all()), None)
        content = next((SURVEY_CONTENT[k] for k in kinds if k in SURVEY_CONTENT), "")
        if not content and rng.random() < 0.3:
            content = "other"
        operator = next((SURVEY_OPERATOR[k] for k in kinds if k in SURVEY_OPERATOR), "resident")
        if operator == "residents-group" and rng.random() < 0.05:
            operator = "shakyo"
        words = place.name if place else ""
        venue = next((v for word, v in SURVEY_VENUE.items() if word in words), "community-hall")
        answers = {"survey_content": content, "operator": operator, "venue_type": venue}
        for name, value in answers.items():
            unrecorded = rng.random() < 0.1  # drawn for every field, so the draws stay in step
            setattr(activity, name, "" if unrecorded or value not in known[name] else value)
    Activity.objects.bulk_update(activities, list(survey_options.FIELDS), batch_size=500)
