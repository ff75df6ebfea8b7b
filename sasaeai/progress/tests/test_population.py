"""The population aged 65+ per region: typed by the ward on a block's or the municipality's page,
all or nothing with each region's reason in Japanese; a cleared region loses its figure; a
closed 年度 changes nothing; SCs, the block and council members read; others get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sasaeai.areas.models import Area
from sasaeai.audit.models import AuditEntry
from sasaeai.progress.models import Population, PopulationSource, YearClosure
from sasaeai.test import area

pytestmark = pytest.mark.django_db
BASE = "/staff/progress/"
WARD = f"{BASE}131199/population/?year=2026"
BLOCK = f"{BASE}blk-akatsuka/population/?year=2026"
REGION = f"{BASE}takashimadaira/population/?year=2026"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row(code: str, count: str, as_of: str = "2027-01-01") -> dict[str, str]:
    pk = area(code).pk
    return {f"r{pk}-aged_65_up": count, f"r{pk}-as_of": as_of}


def regions_of_block() -> list[Area]:
    return list(Area.objects.filter(parent=area("blk-akatsuka")).order_by("sort_order"))


def test_the_ward_types_each_regions_population(users: dict) -> None:
    client = signed_in(users["ward"])
    page = client.get(BLOCK).content.decode()
    assert [r.name for r in regions_of_block()] == ["下赤塚", "成増", "徳丸", "高島平"]
    # A count, a day and the version read (optimistic locking) for each of the four regions.
    assert page.count('name="r') == 12
    assert 'value="2027-01-01"' in page  # the day offered for a region without a figure
    data = row("takashimadaira", "12,345") | row("narimasu", "８０００", "2026/10/1")
    data |= row("tokumaru", "") | row("shimoakatsuka", "", "")
    response = client.post(BLOCK, data)
    assert response.status_code == 302 and response["Location"] == BLOCK
    stored = {p.area.code: p for p in Population.objects.select_related("area")}
    assert set(stored) == {"takashimadaira", "narimasu"}
    assert (stored["takashimadaira"].aged_65_up, stored["takashimadaira"].as_of) == (
        12345,
        dt.date(2027, 1, 1),
    )
    assert (stored["narimasu"].aged_65_up, stored["narimasu"].as_of) == (8000, dt.date(2026, 10, 1))
    assert {p.source for p in stored.values()} == {PopulationSource.TYPED}
    assert {p.fiscal_year for p in stored.values()} == {2026}
    assert AuditEntry.objects.filter(model="progress.Population", action="create").count() == 2


def test_one_bad_region_writes_nothing_and_each_says_why(users: dict) -> None:
    data = row("takashimadaira", "12000") | row("narimasu", "-5") | row("tokumaru", "たくさん")
    data |= row("shimoakatsuka", "7000", "") | row("hasune", "100", "2030-01-01")
    response = signed_in(users["ward"]).post(WARD, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "成増（65歳以上の人口）: 0 以上の数を書いてください（負の数は書けません）。" in page
    assert "徳丸（65歳以上の人口）: 数字で書いてください（例: 12）。" in page
    assert "下赤塚（基準日）: 基準日を書いてください。" in page
    assert "蓮根（基準日）: 基準日は 2025-04-01 から 2027-03-31 までの日にしてください。" in page
    assert not Population.objects.exists()


def test_a_cleared_region_loses_its_figure_and_the_others_stay(users: dict) -> None:
    day = dt.date(2027, 1, 1)
    for code, people in (("takashimadaira", 9000), ("narimasu", 7000)):
        Population.objects.create(area=area(code), fiscal_year=2026, aged_65_up=people, as_of=day)
    kept = Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2025, aged_65_up=8900, as_of=day
    )
    response = signed_in(users["ward"]).post(
        BLOCK, row("takashimadaira", "") | row("narimasu", "7000")
    )
    assert response.status_code == 302
    assert list(Population.objects.values_list("area__code", "fiscal_year", "aged_65_up")) == [
        ("takashimadaira", 2025, 8900),
        ("narimasu", 2026, 7000),
    ]
    assert Population.objects.get(pk=kept.pk).aged_65_up == 8900


def test_a_closed_year_is_shown_and_never_changed(users: dict) -> None:
    Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2026, aged_65_up=9000, as_of=dt.date(2027, 1, 1)
    )
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    client = signed_in(users["ward"])
    page = client.get(WARD).content.decode()
    assert "は締められています。数字は変えられません。" in page and 'name="r' not in page
    assert "9,000 人" in page
    response = client.post(WARD, row("takashimadaira", "9500") | row("narimasu", "100"))
    assert response.status_code == 409
    assert "締められているため、変えられません" in response.content.decode()
    assert list(Population.objects.values_list("aged_65_up", flat=True)) == [9000]


def test_only_the_ward_enters_and_the_others_who_see_read(users: dict) -> None:
    Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2026, aged_65_up=9000, as_of=dt.date(2027, 1, 1)
    )
    assert signed_in(users["admin"]).post(REGION, row("takashimadaira", "9100")).status_code == 302
    for who, url in (("block", BLOCK), ("sc", REGION), ("member", REGION)):
        client = signed_in(users[who])
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, who
        assert "9,100 人" in page and 'name="r' not in page, who
        assert client.post(url, row("takashimadaira", "1")).status_code == 403, who
    assert Population.objects.get().aged_65_up == 9100


def test_others_get_404(users: dict) -> None:
    assert signed_in(users["sc"]).get(BLOCK).status_code == 404  # the SC sees the region only
    assert signed_in(users["other_sc"]).get(REGION).status_code == 404
    assert signed_in(users["other_sc"]).post(REGION, row("takashimadaira", "1")).status_code == 404
    assert signed_in(users["other_admin"]).get(WARD).status_code == 404
    assert signed_in(users["other_admin"]).post(WARD, row("narimasu", "1")).status_code == 404
    assert signed_in(users["institution"]).get(REGION).status_code == 403
    assert not Population.objects.exists()
