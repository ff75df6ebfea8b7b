"""Support's indicators against requests made by hand, dated across 31 March."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.indicators import figures
from sasaeai.support.models import Kind, Status, SupportRequest, Topic
from sasaeai.test import area

from .builders import council_of, make_request

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["support.requests", *(f"support.requests.{kind}" for kind in Kind), "support.open"]


def tokyo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def asked(code: str, topic: str, opened: dt.datetime, status: str = Status.NEW,
          closed: dt.datetime | None = None) -> None:  # fmt: skip
    made = make_request(council_of(code), topic=topic)
    SupportRequest.objects.filter(pk=made.pk).update(
        opened_at=opened, status=status, closed_at=closed,
        accepted_at=None if status in (Status.NEW, Status.DECLINED) else opened,
        decline_reason="人手が足りません" if status == Status.DECLINED else "",
    )  # fmt: skip


@pytest.fixture
def data(itabashi: Any) -> None:
    """高島平: learning asked at 23:00 on 31 March 2026 and done on 1 April; a hard case asked at
    00:30 on 1 April, waiting; paperwork declined within 2025. 成増: hands asked in 2025, being
    done. The block's council (赤塚): learning asked in May 2026."""
    asked("takashimadaira", Topic.TRAINING, tokyo(2026, 3, 31, 23), Status.DONE,
          tokyo(2026, 4, 1, 10))  # fmt: skip
    asked("takashimadaira", Topic.HARD_CASE, tokyo(2026, 4, 1, 0, 30))
    asked("takashimadaira", Topic.PAPERWORK, tokyo(2025, 5, 1, 10), Status.DECLINED,
          tokyo(2025, 6, 1, 10))  # fmt: skip
    asked("narimasu", Topic.HANDS, tokyo(2025, 9, 1, 10), Status.ACCEPTED)
    asked("blk-akatsuka", Topic.VISIT, tokyo(2026, 5, 1, 10))


def table(code: str) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in KEYS}


def test_a_council_counts_its_requests_by_kind_and_those_still_open(data: None) -> None:
    assert table("takashimadaira") == {
        "support.requests": [2, 1],  # 31 March 23:00, May 2025 | 1 April 00:30
        "support.requests.learn": [1, 0],
        "support.requests.support": [1, 0],
        "support.requests.connect": [0, 1],
        "support.requests.contribute": [0, 0],
        "support.open": [1, 1],  # the learning one on 31 March | the hard case
    }


def test_a_block_adds_its_regions_and_its_own_council(data: None) -> None:
    assert table("blk-akatsuka") == {
        "support.requests": [3, 2],
        "support.requests.learn": [1, 1],
        "support.requests.support": [1, 0],
        "support.requests.connect": [0, 1],
        "support.requests.contribute": [1, 0],
        "support.open": [2, 3],  # + 成増's, being done | + the block's
    }


def test_the_ward_links_to_the_open_requests_of_the_current_year(data: None) -> None:
    ward, region = area("131199"), area("takashimadaira")
    now = fiscal_year_of(timezone.localdate())
    found = figures([ward, region], [now - 1, now], keys=KEYS)
    assert found.link("support.open", ward, now) == "/staff/support/?status=open"
    assert found.link("support.open", ward, now - 1) is None
    assert found.link("support.open", region, now) is None  # the list has no area filter
    assert found.link("support.requests", ward, now) is None  # nor a year filter
