"""The demo's figures only people know: the population aged 65+ of all 18 regions for six
年度 (about 130,000 now, growing about 1 % a year) and the participants of every 通いの場 in
March; the same on every run, a second run adds nothing, a closed 年度 is left alone, and it is
fast."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.db.models import Sum

from sasaeai.directory.demo import build_activities
from sasaeai.directory.kayoi import activity_is_kayoi
from sasaeai.directory.models import Activity
from sasaeai.progress.figures_demo import build_figures
from sasaeai.progress.models import Participation, Population, YearClosure

SEED = 20261126
TODAY = dt.date(2026, 11, 26)  # 年度 2026: the demo covers 2021 to 2026


def snapshot() -> tuple[list[Any], list[Any]]:
    return (
        list(Population.objects.order_by("area__path", "fiscal_year").values_list(
            "area__code", "fiscal_year", "aged_65_up", "as_of")),
        list(Participation.objects.order_by("activity_id", "fiscal_year").values_list(
            "activity__name", "fiscal_year", "month", "participants", "men", "women",
            "aged_65_74", "aged_75_up", "per_session")),
    )  # fmt: skip


def test_the_demo_builds_the_figures_once_and_the_same_each_time(itabashi: Any) -> None:
    build_activities(itabashi, SEED, today=TODAY)
    with transaction.atomic():
        build_figures(itabashi, SEED, today=TODAY)
        first = snapshot()
        transaction.set_rollback(True)
    YearClosure.objects.create(municipality=itabashi, fiscal_year=2021)
    started = time.perf_counter()
    build_figures(itabashi, SEED, today=TODAY)
    took = time.perf_counter() - started
    assert took < 5, took

    populations, participations = snapshot()
    # The closed 年度 is left alone; the rest is as built in a fresh database.
    assert populations == [p for p in first[0] if p[1] != 2021]
    assert participations == [p for p in first[1] if p[1] != 2021]
    assert Population.objects.filter(fiscal_year=2026).count() == 18
    assert {p[1] for p in populations} == {2022, 2023, 2024, 2025, 2026}
    now = Population.objects.filter(fiscal_year=2026).aggregate(n=Sum("aged_65_up"))["n"]
    before = Population.objects.filter(fiscal_year=2025).aggregate(n=Sum("aged_65_up"))["n"]
    assert abs(now - 130_000) <= 18 and 1.004 < now / before < 1.016
    sizes = [p[2] for p in populations if p[1] == 2026]
    assert max(sizes) > 2 * min(sizes)  # split unevenly

    kayoi = {a.pk for a in Activity.objects.of(itabashi) if activity_is_kayoi(a)}
    counted = set(Participation.objects.values_list("activity_id", flat=True))
    assert counted and counted <= kayoi
    rows = Participation.objects.all()
    assert all(8 <= p.participants <= 40 for p in rows)
    assert {p.month for p in rows.filter(fiscal_year=2025)} == {dt.date(2026, 3, 1)}
    assert all((p.men or 0) + (p.women or 0) <= p.participants for p in rows)
    assert all((p.aged_65_74 or 0) + (p.aged_75_up or 0) <= p.participants for p in rows)
    known = rows.filter(men__isnull=False).count()
    assert 0.7 * rows.count() < known < rows.count()  # most, not all

    build_figures(itabashi, SEED, today=TODAY)
    assert snapshot() == (populations, participations)
