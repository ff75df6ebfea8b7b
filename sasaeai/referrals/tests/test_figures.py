"""The referrals' indicators against referrals made by hand, dated across 31 March."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.lib.indicators import figures
from sasaeai.referrals.models import Referral, Status
from sasaeai.test import area, make_user

from .builders import make_institution, make_referral

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["referrals.sent", "referrals.closed", "referrals.open"]


def tokyo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def referral(by: Any, status: str, sent: dt.datetime, finished: Any = None, **kw: Any) -> None:
    made = make_referral(make_institution(f"機関{sent:%m%d%H}"), by=by, status=status, **kw)
    Referral.objects.filter(pk=made.pk).update(sent_at=sent, finished_at=finished)


@pytest.fixture
def data(users: dict) -> None:
    """高島平: r1 sent at 23:00 on 31 March 2026, closed on 1 April; r2 sent at 00:30 on 1 April,
    in progress; r3 returned within 2025; r4 a draft. 成増: r5 sent and closed within 2025."""
    sc = users["sc"]
    referral(sc, Status.CLOSED, tokyo(2026, 3, 31, 23), tokyo(2026, 4, 1, 10))
    referral(sc, Status.IN_PROGRESS, tokyo(2026, 4, 1, 0, 30))
    referral(sc, Status.RETURNED, tokyo(2025, 5, 1, 10), tokyo(2025, 6, 1, 10))
    make_referral(make_institution("下書きの先"), by=sc)
    referral(sc, Status.CLOSED, tokyo(2025, 7, 1, 10), tokyo(2026, 3, 31, 20), area_code="narimasu")


def table(code: str) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in KEYS}


def test_a_region_counts_referrals_sent_closed_and_open(data: None) -> None:
    assert table("takashimadaira") == {
        "referrals.sent": [2, 1],  # r1 (31 March 23:00), r3 | r2 (1 April 00:30); no draft
        "referrals.closed": [0, 1],  # r1 on 1 April; r3 was returned, not closed
        "referrals.open": [1, 1],  # r1 on 31 March | r2
    }


def test_a_block_adds_its_regions(data: None) -> None:
    assert table("blk-akatsuka") == {
        "referrals.sent": [3, 1],
        "referrals.closed": [1, 1],  # r5 closed at 20:00 on 31 March
        "referrals.open": [1, 1],
    }
    assert table("131199") == table("blk-akatsuka")


def test_the_ward_links_sent_to_the_statistics_of_the_year(data: None) -> None:
    ward, region = area("131199"), area("takashimadaira")
    found = figures([ward, region], YEARS, keys=KEYS, today=TODAY)
    assert found.link("referrals.sent", ward, 2025) == "/staff/referrals/stats/?year=2025"
    assert found.link("referrals.sent", region, 2025) is None  # the page has no area filter
    assert found.link("referrals.open", region, 2025) == (
        f"/staff/referrals/?area={region.pk}&year=2025&in_year=open"
    )


LINKED = ["referrals.closed", "referrals.open"]


def listed(client: Client, link: str) -> list[Referral]:
    """The referrals a list shows (one page: these are short), checked against the count it
    states."""
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    total = int(re.search(r"<p>(\d+) 件</p>", page)[1])  # type: ignore[index]
    assert len(response.context["page"]) == total
    return list(response.context["page"])


def test_closed_and_open_link_to_the_list_of_exactly_what_they_count(
    data: None, client: Client, users: dict
) -> None:
    """Followed by a handler of the whole ward, who sees every referral: a region's, its
    block's and the ward's figures. 蓮根's referral (another SC's, 志村ブロック) is on the ward's
    lists alone."""
    other = make_user("hasune-sc@example.jp", Role.REGION_SC, "hasune")
    referral(other, Status.CLOSED, tokyo(2026, 5, 1, 10), tokyo(2026, 6, 1, 10), area_code="hasune")
    client.force_login(make_user("handler@example.jp", Role.REGION_SC, "131199"))
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=LINKED)
    seen = 0
    for place, key, year in product(places, LINKED, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        value = found.value(key, place, year)
        shown = listed(client, link)
        assert len(shown) == value, (place.code, key, year)
        assert place.code == "131199" or all(r.area.code != "hasune" for r in shown)
        seen += value or 0
    assert seen >= 8


def test_the_region_s_own_sc_sees_on_the_list_what_the_figure_counts(
    data: None, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=LINKED)
    client.force_login(users["sc"])

    def sent_on(key: str, year: int) -> list[str]:
        shown = listed(client, found.link(key, region, year) or "")
        return [f"{timezone.localtime(r.sent_at):%m-%d %H:%M}" for r in shown]

    assert sent_on("referrals.closed", 2025) == []  # r1 closed on 1 April; r3 returned
    assert sent_on("referrals.closed", 2026) == ["03-31 23:00"]
    assert sent_on("referrals.open", 2025) == ["03-31 23:00"]  # on 31 March; not the draft
    assert sent_on("referrals.open", 2026) == ["04-01 00:30"]
