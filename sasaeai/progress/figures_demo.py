"""Demo figures only people know, called by core.demo.load_demo (deterministic from `seed`):
the population aged 65+ of every region for the five past 年度 and the current one (Itabashi
has about 130,000, split unevenly across its regions, growing about 1 % a year), and the
participants of every 通いの場 in those years, counted in March (sexes and ages known for most,
not for some). Rows are written with bulk_create (no audit entries: demo data is not anybody's
action); what is already there, and any closed 年度, is left as it is, so a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory.kayoi import is_kayoi
from sasaeai.directory.models import Activity, Place, Schedule, Status
from sasaeai.lib.fiscal import fiscal_year_of

from .entry_forms import default_as_of
from .models import Participation, Population, PopulationSource, YearClosure

HISTORY = 5  # 年度 before the current one
AGED_NOW = 130_000  # people aged 65+ in the whole municipality in the current 年度


@transaction.atomic
def build_figures(municipality: Area, seed: int, today: dt.date | None = None) -> None:
    rng = random.Random(seed + 29)
    current = fiscal_year_of(today or timezone.localdate())
    years = list(range(current - HISTORY, current + 1))
    closed = set(
        YearClosure.objects.in_force()
        .filter(municipality=municipality)
        .values_list("fiscal_year", flat=True)
    )
    open_years = [y for y in years if y not in closed]
    _populations(municipality, years, open_years, rng)
    _participations(municipality, years, open_years, rng)


def _populations(
    municipality: Area, years: list[int], open_years: list[int], rng: random.Random
) -> None:
    regions = list(Area.objects.of(municipality).regions().order_by("sort_order", "path"))
    weights = [rng.uniform(0.55, 1.6) for _ in regions]
    growth = [rng.uniform(0.004, 0.016) for _ in regions]
    have = set(
        Population.objects.filter(area__in=regions, fiscal_year__in=years).values_list(
            "area_id", "fiscal_year"
        )
    )
    rows = []
    for region, weight, rate in zip(regions, weights, growth, strict=True):
        now = AGED_NOW * weight / sum(weights)
        for year in years:
            count = round(now / (1 + rate) ** (years[-1] - year))
            if year in open_years and (region.pk, year) not in have:
                rows.append(
                    Population(
                        area=region, fiscal_year=year, aged_65_up=count,
                        as_of=default_as_of(year), source=PopulationSource.TYPED,
                    )
                )  # fmt: skip
    Population.objects.bulk_create(rows)


def _participations(
    municipality: Area, years: list[int], open_years: list[int], rng: random.Random
) -> None:
    # Read as values, not models: a thousand activities with their schedules in two queries.
    with_place = Exists(Place.objects.filter(activity=OuterRef("activity_id")))
    found = (
        Schedule.objects.filter(activity__municipality=municipality)
        .filter(with_place)
        .order_by("activity_id", "pk")
        .values_list("activity_id", "frequency", "note")
    )
    schedules: dict[int, list[tuple[str, str]]] = {}
    for pk, frequency, note in found:
        schedules.setdefault(pk, []).append((frequency, note))
    kayoi = [
        (pk, status)
        for pk, status in Activity.objects.of(municipality)
        .order_by("pk")
        .values_list("pk", "status")
        if is_kayoi(schedules.get(pk, []))
    ]
    have = set(
        Participation.objects.filter(
            activity__municipality=municipality, fiscal_year__in=years
        ).values_list("activity_id", "fiscal_year")
    )
    rows = []
    for pk, status in kayoi:
        people = rng.randint(8, 40)
        # An ended group stopped counting some years ago.
        last = years[-1] - rng.randint(1, 3) if status == Status.ENDED else years[-1]
        for year in years:
            people = min(40, max(8, people + rng.randint(-3, 4)))
            row = _participation(pk, year, people, rng)
            if year <= last and year in open_years and (pk, year) not in have:
                rows.append(row)
    Participation.objects.bulk_create(rows)


def _participation(activity_id: int, year: int, people: int, rng: random.Random) -> Participation:
    row = Participation(
        activity_id=activity_id, fiscal_year=year, month=dt.date(year + 1, 3, 1),
        participants=people, per_session=max(1, round(people * rng.uniform(0.5, 0.9))),
    )  # fmt: skip
    # Sexes and ages are known for most groups; a few people's are not (counted, not split).
    if rng.random() < 0.85:
        row.women = round(people * rng.uniform(0.6, 0.85))
        row.men = max(0, people - row.women - rng.choice([0, 0, 0, 1, 2]))
    if rng.random() < 0.8:
        row.aged_75_up = round(people * rng.uniform(0.4, 0.7))
        row.aged_65_74 = max(0, people - row.aged_75_up - rng.choice([0, 0, 1, 2, 3]))
    return row
