"""Support's indicators against requests made by hand, dated across 31 March."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client
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


def shown(client: Client, link: str) -> int:
    """How many requests the list shows (one page: these are short), checked against the count
    it states."""
    response = client.get(link)
    assert response.status_code == 200
    total = int(re.search(r"<p>(\d+) 件</p>", response.content.decode())[1])  # type: ignore[index]
    assert len(response.context["page"]) == total
    return total


def test_each_figure_links_to_the_list_of_exactly_what_it_counts(
    data: None, client: Client, users: dict
) -> None:
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=KEYS)
    for place, key, year in product(places, KEYS, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        assert shown(client, link) == found.value(key, place, year), (place.code, key, year)


def test_the_links_name_area_kind_and_how_the_year_reads(data: None) -> None:
    region = area("takashimadaira")
    now = fiscal_year_of(timezone.localdate())
    found = figures([region], [now], keys=KEYS)
    base = f"/staff/support/?area={region.pk}"
    assert found.link("support.requests", region, now) == (
        f"{base}&status=&year={now}&in_year=asked"
    )
    assert found.link("support.requests.learn", region, now) == (
        f"{base}&kind=learn&status=&year={now}&in_year=asked"
    )
    assert found.link("support.open", region, now) == f"{base}&status=&year={now}&in_year=open"
