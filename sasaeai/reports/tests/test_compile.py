"""The year's facts gathered for a report: the council and its members by sector, meetings,
topics and decisions under the three initiatives, the route, figures beside last year's; a
region without records gets a report that says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.reports.compile import compile_year
from sasaeai.test import area

from .builders import YEAR, approved, make_year

pytestmark = pytest.mark.django_db
TODAY = dt.date(YEAR + 1, 3, 31)


def test_a_regions_year_is_gathered(itabashi: Any) -> None:
    make_year()
    data = compile_year(area("takashimadaira"), YEAR, today=TODAY)
    assert data["council"]["members"] == 2
    assert {s["label"]: s["count"] for s in data["council"]["sectors"]} == {
        "町会・自治会": 1, "民生・児童委員": 1,
    }  # fmt: skip
    assert [(m["title"], m["date"]) for m in data["meetings"]] == [("第1回", "2026年5月21日")]
    first = data["initiatives"][0]
    assert first["label"] == "高齢者の参加促進"
    assert first["topics"][0]["title"] == "活動マップづくり"
    assert first["decisions"] == ["秋までに活動マップを作る"]
    goal = data["goals"][0]
    assert goal["title"] == "活動マップを配る" and (goal["reached"], goal["total"]) == (1, 1)
    meetings = next(f for f in data["figures"] if f["key"] == "councils.meetings")
    assert (meetings["last"], meetings["this"]) == (0, 1)
    assert not data["empty"]


def test_a_region_without_records_is_told_not_an_error(itabashi: Any, client: Any,
                                                      users: dict) -> None:  # fmt: skip
    data = compile_year(area("tokumaru"), 2015, today=TODAY)
    assert data["empty"] and data["meetings"] == [] and data["council"] is None
    client.force_login(users["block"])
    page = client.get("/staff/reports/tokumaru/2015/").content.decode()
    assert "2015年度の記録は、まだありません。" in page


def test_the_ward_gathers_the_regions_approved_reports(itabashi: Any) -> None:
    make_year()
    version = approved()
    data = compile_year(area("131199"), YEAR, today=TODAY)
    assert [r["version_id"] for r in data["regions"]] == [version.pk]
    assert len(data["regions_missing"]) == 17 and "高島平" not in data["regions_missing"]
    block = compile_year(area("blk-akatsuka"), YEAR, today=TODAY)
    assert [r["name"] for r in block["regions"]] == ["高島平"]
