"""The referrals' indicators against referrals made by hand, dated across 31 March."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.lib.indicators import figures
from sasaeai.referrals.models import Referral, Status
from sasaeai.test import area

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


def test_the_ward_links_to_the_statistics_of_the_year(data: None) -> None:
    ward, region = area("131199"), area("takashimadaira")
    found = figures([ward, region], YEARS, keys=KEYS, today=TODAY)
    assert found.link("referrals.sent", ward, 2025) == "/staff/referrals/stats/?year=2025"
    assert found.link("referrals.sent", region, 2025) is None  # the page has no area filter
    assert found.link("referrals.open", ward, 2026) is None
