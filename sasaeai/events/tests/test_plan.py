"""The year's plan against hand-made events: held, scheduled, still missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sasaeai.events.models import PlanTarget
from sasaeai.events.reports import plan_rows
from sasaeai.test import area

from .builders import at, kind, make_event

NOW = at(2026, 11, 1, 12)


@pytest.fixture
def plan(itabashi: object) -> None:
    root = area("131199")
    for code, low, high in (("training", 2, 3), ("sc-liaison", 2, 3), ("block-liaison", 1, 1)):
        PlanTarget.objects.create(municipality=root, fiscal_year=2026, kind=kind(code),
                                  min_count=low, max_count=high)  # fmt: skip


@pytest.mark.django_db
def test_plan_rows_count_held_scheduled_and_missing(plan: None) -> None:
    make_event(starts_at=at(2026, 6, 10))  # training, held
    make_event(starts_at=at(2027, 2, 10))  # training, scheduled
    make_event(starts_at=at(2027, 4, 10))  # next fiscal year: not counted
    make_event(starts_at=at(2026, 3, 31))  # previous fiscal year: not counted
    make_event(starts_at=at(2026, 12, 1), published=False)  # draft: not counted
    make_event(kind_code="sc-liaison", starts_at=at(2026, 5, 20))
    for _n in range(4):  # more than planned
        make_event(kind_code="sc-liaison", starts_at=at(2026, 9, 1) + dt.timedelta(days=_n))
    make_event("blk-akatsuka", "block-liaison", starts_at=at(2026, 7, 1))
    make_event("takashimadaira", "block-liaison", starts_at=at(2027, 1, 1))  # in 赤塚 block
    make_event("blk-shimura", "block-liaison", starts_at=at(2026, 12, 1))
    rows = {(r.kind.code, r.block.code if r.block else ""): r for r in plan_rows(
        area("131199"), 2026, now=NOW)}  # fmt: skip
    training = rows["training", ""]
    assert (training.held, training.scheduled, training.missing, training.over) == (1, 1, 0, 0)
    liaison = rows["sc-liaison", ""]
    assert (liaison.held, liaison.scheduled, liaison.missing, liaison.over) == (5, 0, 0, 2)
    akatsuka = rows["block-liaison", "blk-akatsuka"]
    assert (akatsuka.held, akatsuka.scheduled, akatsuka.over) == (1, 1, 1)
    shimura = rows["block-liaison", "blk-shimura"]
    assert (shimura.held, shimura.scheduled, shimura.missing) == (0, 1, 0)
    itabashi = rows["block-liaison", "blk-itabashi"]
    assert (itabashi.held, itabashi.scheduled, itabashi.missing) == (0, 0, 1)
    assert len(rows) == 2 + 4


@pytest.mark.django_db
def test_plan_page_shows_what_is_missing(client: Client, users: dict, plan: None) -> None:
    client.force_login(users["ward"])
    page = client.get("/staff/events/plan/?year=2026").content.decode()
    assert "2026年度の計画と実績" in page and "2〜3回" in page
    assert "第2層ブロック連絡会（板橋ブロック）" in page and "あと1回" in page


@pytest.mark.django_db
def test_ward_staff_set_the_plan(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    training = kind("training")
    response = client.post("/staff/events/plan/edit/?year=2027", {
        f"k{training.pk}-min_count": "2", f"k{training.pk}-max_count": "3",
    })  # fmt: skip
    assert response["Location"] == "/staff/events/plan/?year=2027"
    target = PlanTarget.objects.get()
    assert (target.fiscal_year, target.kind, target.min_count, target.max_count) == (
        2027, training, 2, 3)  # fmt: skip


@pytest.mark.django_db
def test_a_range_upside_down_is_explained_and_saves_nothing(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    training = kind("training")
    response = client.post("/staff/events/plan/edit/?year=2027", {
        f"k{training.pk}-min_count": "3", f"k{training.pk}-max_count": "1",
    })  # fmt: skip
    assert "最多は最少以上にしてください" in response.content.decode()
    assert not PlanTarget.objects.exists()
