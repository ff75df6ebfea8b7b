"""The needs' indicators against needs, timelines and introductions made by hand."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.indicators import figures
from sasaeai.needs import services
from sasaeai.needs.models import Introduction, Need, Outcome, Status
from sasaeai.test import area

from .builders import make_need, need_kind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["needs.raised", "needs.met", "needs.open", "needs.introductions", "needs.connected"]
MARCH_31, APRIL_1 = dt.date(2026, 3, 31), dt.date(2026, 4, 1)


@pytest.fixture
def data(users: dict) -> dict[str, Need]:
    """高島平: n1 (shopping) raised and discussed on 31 March 2026, met on 1 April; n2
    (shopping) raised on 1 April; n3 (talk) referred, reopened and met again within 2025; n4
    (meals) could not be met in 2025 and was reopened in 2026. 成増: n5 (shopping) open since
    2025. 蓮根 (志村ブロック): n6 (talk), raised and met in 2026."""
    sc = users["sc"]
    shop = make_activity("一緒に買い物の会", kinds=("shopping",))
    n1 = make_need(kind="shopping", reported_on=MARCH_31)
    services.move(n1, Status.DISCUSSED, by=sc, on=MARCH_31)
    services.move(n1, Status.MET_BY_ACTIVITY, by=sc, on=APRIL_1, activity=shop)
    n2 = make_need(kind="shopping", reported_on=APRIL_1)
    n3 = make_need(kind="talk", reported_on=dt.date(2025, 6, 1))
    services.move(n3, Status.REFERRED, by=sc, on=dt.date(2025, 7, 1), referred_to="包括")
    services.reopen(n3, by=sc, on=dt.date(2025, 8, 1))
    services.move(n3, Status.NEW_ACTIVITY, by=sc, on=dt.date(2025, 9, 1))
    n4 = make_need(kind="meals", reported_on=dt.date(2025, 5, 1))
    services.move(n4, Status.CANNOT_BE_MET, by=sc, on=dt.date(2025, 6, 1), note="担い手がいない")
    services.reopen(n4, by=sc, on=dt.date(2026, 5, 1))
    n5 = make_need("narimasu", kind="shopping", reported_on=dt.date(2025, 10, 1))
    n6 = make_need("hasune", kind="talk", reported_on=dt.date(2026, 5, 1))
    services.move(n6, Status.MET_BY_ACTIVITY, by=sc, on=dt.date(2026, 6, 1), activity=shop)
    takashimadaira, narimasu = area("takashimadaira"), area("narimasu")
    Introduction.objects.create(area=takashimadaira, need=n1, on=MARCH_31,
                                outcome=Outcome.CONNECTED)  # fmt: skip
    Introduction.objects.create(area=takashimadaira, need=n2, on=APRIL_1)
    Introduction.objects.create(area=narimasu, need=n5, on=dt.date(2026, 6, 1),
                                outcome=Outcome.CONNECTED)  # fmt: skip
    return {"n1": n1, "n2": n2, "n3": n3, "n4": n4, "n5": n5, "n6": n6}


def table(code: str, keys: list[str] = KEYS, part: str = "") -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=keys, today=TODAY)
    return {key: [found.value(key, place, year, part) for year in YEARS] for key in keys}


def test_a_region_counts_needs_raised_met_and_open_each_year(data: dict) -> None:
    assert table("takashimadaira") == {
        "needs.raised": [3, 1],  # n1 (31 March), n3, n4 | n2 (1 April)
        "needs.met": [1, 1],  # n3, met twice, counted once | n1 (1 April)
        "needs.open": [1, 2],  # n1 discussed on 31 March | n2 new, n4 reopened
        "needs.introductions": [1, 1],  # 31 March | 1 April
        "needs.connected": [1, 0],
    }


def test_a_block_adds_its_regions_the_ward_everything(data: dict) -> None:
    assert table("blk-akatsuka") == {
        "needs.raised": [4, 1],
        "needs.met": [1, 1],
        "needs.open": [2, 3],  # + n5 in 成増
        "needs.introductions": [1, 2],
        "needs.connected": [1, 1],
    }
    assert table("131199", ["needs.raised", "needs.met", "needs.open"]) == {
        "needs.raised": [4, 2],
        "needs.met": [1, 2],  # + n6 in 蓮根
        "needs.open": [2, 3],
    }


def test_needs_break_down_by_kind(data: dict) -> None:
    place = area("takashimadaira")
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    kinds = {code: str(need_kind(code).pk) for code in ("shopping", "talk", "meals")}
    assert [label for _part, label in found.parts("needs.raised")] == ["買い物", "話し相手", "食事"]

    def by_kind(key: str) -> dict[str, list[int | None]]:
        counts = {c: [found.value(key, place, y, pk) for y in YEARS] for c, pk in kinds.items()}
        return {code: n for code, n in counts.items() if n != [0, 0]}

    assert by_kind("needs.raised") == {"shopping": [1, 1], "talk": [1, 0], "meals": [1, 0]}
    assert by_kind("needs.met") == {"talk": [1, 0], "shopping": [0, 1]}
    assert by_kind("needs.open") == {"shopping": [1, 1], "meals": [0, 1]}


def test_needs_raised_link_to_the_list_of_those_needs(
    data: dict, client: Client, users: dict
) -> None:
    place = area("takashimadaira")
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    link = found.link("needs.raised", place, 2025)
    assert link == f"/staff/needs/?area={place.pk}&start=2025-04-01&end=2026-03-31"
    shopping = str(need_kind("shopping").pk)
    assert found.link("needs.raised", place, 2025, shopping) == (
        f"/staff/needs/?area={place.pk}&kind={shopping}&start=2025-04-01&end=2026-03-31"
    )
    client.force_login(users["sc"])
    page = client.get(link).content.decode()
    listed = {name for name, need in data.items() if need.number in page}
    assert listed == {"n1", "n3", "n4"}


def shown(client: Client, link: str) -> list[str]:
    """The needs' numbers on a staff list (one page: these are short), checked against the
    count it shows."""
    page = client.get(link).content.decode()
    total = int(re.search(r"<p>(\d+) 件</p>", page)[1])  # type: ignore[index]
    numbers = re.findall(r'<p class="muted">(\S+) ・', page)
    assert len(numbers) == total
    return numbers


def test_needs_met_link_to_the_needs_met_in_the_year(
    data: dict, client: Client, users: dict
) -> None:
    place = area("takashimadaira")
    found = figures([place], YEARS, keys=["needs.met"])
    assert found.link("needs.met", place, 2025) == (
        f"/staff/needs/?area={place.pk}&dated=met&start=2025-04-01&end=2026-03-31"
    )
    client.force_login(users["sc"])
    numbers = [shown(client, found.link("needs.met", place, y) or "") for y in YEARS]
    assert numbers == [[data["n3"].number], [data["n1"].number]]  # n3 met twice: listed once


def test_each_need_figure_links_to_the_list_of_exactly_what_it_counts(
    data: dict, client: Client, users: dict
) -> None:
    """Raised, met and open, in all and by kind, for a region, its block and the ward."""
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    keys = ["needs.raised", "needs.met", "needs.open"]
    found = figures(places, YEARS, keys=keys)
    now = fiscal_year_of(timezone.localdate())
    seen = 0
    for place, key, year in product(places, keys, YEARS):
        for part in ["", *(part for part, _label in found.parts(key))]:
            link, value = found.link(key, place, year, part), found.value(key, place, year, part)
            if link is None:  # open: this year's figure alone
                assert key == "needs.open" and year != now
                continue
            assert len(shown(client, link)) == value, (place.code, key, part, year)
            seen += value or 0
    assert seen > 20


def test_open_needs_link_to_the_open_list_for_the_current_year_only(data: dict) -> None:
    place = area("takashimadaira")
    now = fiscal_year_of(timezone.localdate())
    found = figures([place], [now - 1, now], keys=["needs.open"])
    assert found.link("needs.open", place, now) == f"/staff/needs/?area={place.pk}&status=open"
    assert found.link("needs.open", place, now - 1) is None


INTRODUCTIONS = ["needs.introductions", "needs.connected"]


def introductions_listed(client: Client, link: str) -> list[Introduction]:
    """The introductions a staff list shows (one page: these are short), checked against the
    count it states."""
    response = client.get(link)
    assert response.status_code == 200
    total = int(re.search(r"<p>(\d+) 件</p>", response.content.decode())[1])  # type: ignore[index]
    assert len(response.context["page"]) == total
    return list(response.context["page"])


def test_introductions_link_to_the_list_of_exactly_those_made_in_the_year(
    data: dict, client: Client, users: dict
) -> None:
    """For a region, its block and the ward: 蓮根's introduction (志村ブロック) is on the ward's
    lists alone."""
    Introduction.objects.create(area=area("hasune"), need=data["n6"], on=dt.date(2026, 6, 2),
                                outcome=Outcome.CONNECTED)  # fmt: skip
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=INTRODUCTIONS)
    seen = 0
    for place, key, year in product(places, INTRODUCTIONS, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        value = found.value(key, place, year)
        listed = introductions_listed(client, link)
        assert len(listed) == value, (place.code, key, year)
        assert place.code == "131199" or all(i.area.code != "hasune" for i in listed)
        seen += value or 0
    assert seen == 15


def test_the_introductions_list_reads_the_year_and_the_outcome_as_the_figures_do(
    data: dict, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=INTRODUCTIONS)
    assert found.link("needs.introductions", region, 2025) == (
        f"/staff/needs/introductions/?area={region.pk}&year=2025"
    )
    assert found.link("needs.connected", region, 2025) == (
        f"/staff/needs/introductions/?area={region.pk}&year=2025&outcome=connected"
    )
    client.force_login(users["sc"])

    def needs_of(key: str, year: int) -> list[str]:
        listed = introductions_listed(client, found.link(key, region, year) or "")
        return [i.need.number for i in listed if i.need is not None]

    assert needs_of("needs.introductions", 2025) == [data["n1"].number]  # 31 March
    assert needs_of("needs.introductions", 2026) == [data["n2"].number]  # 1 April
    assert needs_of("needs.connected", 2025) == [data["n1"].number]
    assert needs_of("needs.connected", 2026) == []  # n2's is pending; 成増's is not 高島平's
