"""Figures over the years on the progress pages: the entered figures and 参加率, closing a
年度 freezes its figures and the ward may reopen it, the national survey workbook."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.councils.tests.builders import make_meeting
from sasaeai.directory.models import Frequency
from sasaeai.directory.tests.builders import make_activity
from sasaeai.progress import year_figures
from sasaeai.progress.models import Participation, Population, YearClosure
from sasaeai.test import area

pytestmark = pytest.mark.django_db
BASE = "/staff/progress/"


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def kayoi(name: str, code: str = "takashimadaira", **fields: Any) -> Any:
    """An activity that meets weekly at one venue: a 通いの場."""
    return make_activity(name, code, **fields)


def enter(activity: Any, year: int, participants: int, **fields: Any) -> Participation:
    return Participation.objects.create(
        activity=activity, fiscal_year=year, month=dt.date(year + 1, 3, 1),
        participants=participants, **fields,
    )  # fmt: skip


def test_the_rate_keeps_its_numerator_and_denominator(itabashi: Any) -> None:
    region = area("takashimadaira")
    enter(kayoi("体操の会"), 2025, 30)
    enter(kayoi("茶話会", "tokumaru"), 2025, 12)
    Population.objects.create(
        area=region, fiscal_year=2025, aged_65_up=6000, as_of=dt.date(2025, 4, 1)
    )
    Population.objects.create(
        area=area("tokumaru"), fiscal_year=2025, aged_65_up=4000, as_of=dt.date(2025, 4, 1)
    )
    ward, block = area("131199"), area("blk-akatsuka")
    tables = year_figures.tables([region, block, ward], 2025, today=dt.date(2026, 5, 1))
    rates = [t.rates[-1] for t in tables]
    assert [(r.participants, r.population, r.percent) for r in rates] == [
        (30, 6000, 0.5),
        (42, 10000, 0.4),
        (42, 10000, 0.4),
    ]
    assert tables[0].rates[-2].percent is None  # 2024: nothing entered, no rate


def test_closing_a_year_freezes_its_figures_and_reopening_counts_again(
    client: Client, users: dict
) -> None:
    council_meeting = make_meeting(date=dt.date(2025, 5, 10))
    ward = signed_in(client, users["ward"])
    response = ward.post(f"{BASE}year/close/?year=2025")
    assert response.status_code == 302
    closure = YearClosure.objects.get()
    assert closure.figures["values"][area("takashimadaira").path]["councils.meetings"] == 1
    make_meeting(council_meeting.council, date=dt.date(2025, 6, 10))  # recorded afterwards
    page = ward.get(f"{BASE}takashimadaira/figures/?year=2025").content.decode()
    assert "締めた日のまま" in page
    region = area("takashimadaira")
    table = year_figures.tables([region], 2025)[0]
    meetings = next(line for line in table.lines if line.key == "councils.meetings")
    assert meetings.cells[-1].value == 1 and meetings.cells[-1].frozen
    assert ward.post(f"{BASE}year/reopen/?year=2025", {"reason": ""}).status_code == 302
    assert YearClosure.objects.in_force().count() == 1  # no reason: still closed
    ward.post(f"{BASE}year/reopen/?year=2025", {"reason": "会議の記録漏れを直すため"})
    closure.refresh_from_db()
    assert (
        closure.reopened_by == users["ward"] and closure.reopen_reason == "会議の記録漏れを直すため"
    )
    table = year_figures.tables([region], 2025)[0]
    meetings = next(line for line in table.lines if line.key == "councils.meetings")
    assert meetings.cells[-1].value == 2 and not meetings.cells[-1].frozen
    assert AuditEntry.objects.filter(model="progress.YearClosure", action="update").exists()


def test_only_the_ward_closes_and_not_a_year_still_running(client: Client, users: dict) -> None:
    for who in ("sc", "block", "member"):
        response = signed_in(client, users[who]).post(f"{BASE}year/close/?year=2025")
        assert response.status_code == 403, who
    response = signed_in(client, users["ward"]).post(f"{BASE}year/close/?year=2026", follow=True)
    assert "終わっていない年度は締められません。" in response.content.decode()
    assert not YearClosure.objects.exists()
    # Another town's administrator closes their own town's year, never Itabashi's.
    signed_in(client, users["other_admin"]).post(f"{BASE}year/close/?year=2025")
    assert [c.municipality.code for c in YearClosure.objects.all()] == ["999991"]


def test_every_figure_over_five_years_is_on_the_page(client: Client, users: dict) -> None:
    last = make_meeting(date=dt.date(2026, 3, 31))  # the last day of 2025年度
    make_meeting(last.council, date=dt.date(2026, 4, 1))  # the first of 2026年度
    page = (
        signed_in(client, users["sc"])
        .get(f"{BASE}takashimadaira/figures/?year=2026")
        .content.decode()
    )
    for year in range(2022, 2027):
        assert f"{year}年度" in page
    assert "会議の開催" in page and "通いの場" in page and "参加率" in page
    table = year_figures.tables([area("takashimadaira")], 2026, today=dt.date(2026, 12, 7))[0]
    meetings = next(line for line in table.lines if line.key == "councils.meetings")
    assert [c.value for c in meetings.cells][-2:] == [1, 1]


def test_the_survey_workbook_counts_venues_people_and_the_rate(client: Client, users: dict) -> None:
    weekly = kayoi("体操の会")
    enter(weekly, 2025, 20, men=5, women=12, aged_65_74=8, aged_75_up=10, per_session=15)
    kayoi("茶話会", "tokumaru")  # a 通いの場 with nothing entered
    make_activity("ときどき散歩", schedules=[{"frequency": Frequency.IRREGULAR}])
    Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2025, aged_65_up=4000, as_of=dt.date(2025, 4, 1)
    )
    assert signed_in(client, users["sc"]).get(f"{BASE}survey.xlsx?year=2025").status_code == 403
    response = signed_in(client, users["ward"]).get(f"{BASE}survey.xlsx?year=2025")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {
        (row[0], row[1]): row[2]
        for row in book["調査の数字"].iter_rows(min_row=4, values_only=True)
    }
    assert values["通いの場", "箇所数"] == 2  # the walk meets irregularly: not a 通いの場
    assert values["通いの場", "開催頻度: 週1回以上"] == 2
    assert values["通いの場", "参加者実人数"] == 20
    assert (
        values["通いの場", "うち男性"],
        values["通いの場", "うち女性"],
        values["通いの場", "性別不明"],
    ) == (5, 12, 3)
    assert (
        values["通いの場", "うち65〜74歳"],
        values["通いの場", "うち75歳以上"],
        values["通いの場", "年齢不明・65歳未満"],
    ) == (8, 10, 2)
    assert values["参加率", "分母: 65歳以上人口"] == 4000 and values["参加率", "参加率"] == 0.5
    assert values["参加率", "基準の月"] == "2026年3月"
    assert values["通いの場", "1回あたりの参加者数: 1〜20人"] == 1
    definitions = [row[2] for row in book["定義"].iter_rows(min_row=2, values_only=True)]
    assert len(definitions) == len(values) and all(definitions)
