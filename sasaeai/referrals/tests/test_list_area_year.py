"""The staff referral list narrowed by area and 年度 (sent, closed in it, or open at its end)
within what its reader may see, and what it says to input it cannot use. That each figure's
link lists what it counts is test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.referrals.models import Referral, Status
from sasaeai.test import area, load_other_town, make_user

from .builders import link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/"


@pytest.fixture
def referrals(users: dict) -> int:
    """高島平's SC: one sent last 年度 and closed this 年度, one sent this 年度 (in progress), a
    draft. 蓮根's SC: one sent this 年度 and closed, to the same institution."""
    year = fiscal_year_of(timezone.localdate())
    tz = timezone.get_current_timezone()
    institution = make_institution()
    link_staff(users["institution"], institution)
    old = make_referral(institution, by=users["sc"], status=Status.CLOSED, problem_kind="care")
    Referral.objects.filter(pk=old.pk).update(
        sent_at=dt.datetime(year - 1, 6, 1, 10, tzinfo=tz),
        finished_at=dt.datetime(year, 4, 2, 10, tzinfo=tz),
    )
    make_referral(institution, by=users["sc"], status=Status.IN_PROGRESS, problem_kind="health")
    make_referral(institution, by=users["sc"], problem_kind="living")
    other = make_user("hasune-sc@example.jp", Role.REGION_SC, "hasune")
    make_referral(institution, "hasune", by=other, status=Status.CLOSED, problem_kind="dementia")
    return year


def shown(client: Client, **query: Any) -> list[str]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted(f"{r.area.name} {r.problem_kind}" for r in response.context["page"])


def test_a_year_reads_the_referrals_sent_closed_or_open(
    client: Client, users: dict, referrals: int
) -> None:
    year = referrals
    client.force_login(users["sc"])
    assert shown(client) == ["高島平 care", "高島平 health", "高島平 living"]
    assert shown(client, year=year) == ["高島平 health"]  # sent in it: the default reading
    assert shown(client, year=year - 1, in_year="sent") == ["高島平 care"]
    assert shown(client, year=year, in_year="closed") == ["高島平 care"]
    assert shown(client, year=year - 1, in_year="closed") == []
    assert shown(client, year=year - 1, in_year="open") == ["高島平 care"]  # closed after 31 March
    assert shown(client, year=year, in_year="open") == ["高島平 health"]  # never the draft
    assert shown(client, year=year, in_year="open", status="closed") == []


def test_an_area_narrows_only_what_the_reader_may_see(
    client: Client, users: dict, referrals: int
) -> None:
    year = referrals
    client.force_login(users["sc"])
    assert shown(client, area=area("hasune").pk, year=year, in_year="closed") == []
    client.force_login(users["institution"])  # the institution sees every area's
    assert shown(client, year=year, in_year="closed") == ["蓮根 dementia", "高島平 care"]
    assert shown(client, area=area("hasune").pk) == ["蓮根 dementia"]
    assert shown(client, area=area("blk-akatsuka").pk) == ["高島平 care", "高島平 health"]


def test_the_form_offers_area_and_year_in_plain_japanese(
    client: Client, users: dict, referrals: int
) -> None:
    client.force_login(users["sc"])
    page = client.get(BASE).content.decode()
    for words in ("地域", "年度", "年度で見るつなぎ", "年度中に初めて送ったつなぎ",
                  "年度中に終了したつなぎ", "下書きは入りません。"):  # fmt: skip
        assert words in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"in_year": "soon"}, "年度で見るつなぎは一覧から選んでください。"),
        ({"status": "gone"}, "状態は一覧から選んでください。"),
        ({"area": "abc"}, "地域は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese_and_narrows_nothing(
    client: Client, users: dict, referrals: int, query: dict, message: str
) -> None:
    client.force_login(users["sc"])
    response = client.get(BASE, {"year": str(referrals), **query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["page"]) == 3


def test_an_area_of_another_municipality_is_refused_in_words(
    client: Client, users: dict, referrals: int
) -> None:
    foreign = load_other_town()
    client.force_login(users["sc"])
    page = client.get(BASE, {"area": foreign.pk}).content.decode()
    assert "地域は一覧から選んでください。" in page


def test_the_list_stays_hidden_from_those_who_handle_no_referral(
    client: Client, users: dict, referrals: int
) -> None:
    query = {"year": str(referrals), "in_year": "closed"}
    for who in ("ward", "member"):
        client.force_login(users[who])
        assert client.get(BASE, query).status_code == 404
