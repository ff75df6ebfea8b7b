"""Who sees and tallies a forum chart: the region's SC, the block and the ward tally; its
council members read (403 on tallying and closing); another region's SC and another
municipality get 404 and change nothing; a wrong method gets 405."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from ..models import ChartTap, ForumChart
from .chart_builders import count_of, make_chart, tap_data

pytestmark = pytest.mark.django_db

TITLE = "高島平 支え合いフォーラム"


@pytest.fixture
def chart() -> ForumChart:
    return make_chart(title=TITLE, counts={("gathering", "want"): 5})


def _pages(chart: ForumChart) -> list[str]:
    base = f"/staff/knowhow/charts/{chart.pk}/"
    return [base, base + "screen/"]


@pytest.mark.parametrize("who", ["sc", "member", "block", "ward", "admin"])
def test_the_region_and_those_above_see_it(
    client: Client, users: dict[str, User], chart: ForumChart, who: str
) -> None:
    client.force_login(users[who])
    for url in _pages(chart):
        response = client.get(url)
        assert response.status_code == 200 and TITLE in response.content.decode()
    listing = client.get("/staff/knowhow/charts/").content.decode()
    assert TITLE in listing


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_another_region_or_town_gets_404(
    client: Client, users: dict[str, User], chart: ForumChart, who: str
) -> None:
    client.force_login(users[who])
    base = f"/staff/knowhow/charts/{chart.pk}/"
    for url in [*_pages(chart), base + "tally/"]:
        assert client.get(url).status_code == 404
    assert client.post(base + "tally/", tap_data()).status_code == 404
    assert client.post(base + "close/").status_code == 404
    assert TITLE not in client.get("/staff/knowhow/charts/").content.decode()
    chart.refresh_from_db()
    assert count_of(chart) == 5 and not chart.is_closed and not ChartTap.objects.exists()


def test_a_council_member_reads_but_does_not_tally(
    client: Client, users: dict[str, User], chart: ForumChart
) -> None:
    client.force_login(users["member"])
    base = f"/staff/knowhow/charts/{chart.pk}/"
    page = client.get(base).content.decode()
    assert "手の数を数える" not in page and "締め切る" not in page
    assert client.get(base + "tally/").status_code == 403
    assert client.post(base + "tally/", tap_data()).status_code == 403
    assert client.post(base + "close/").status_code == 403
    assert client.get("/staff/knowhow/charts/new/").status_code == 403
    chart.refresh_from_db()
    assert count_of(chart) == 5 and not chart.is_closed


def test_the_block_tallies_its_regions(
    client: Client, users: dict[str, User], chart: ForumChart
) -> None:
    client.force_login(users["block"])
    client.post(f"/staff/knowhow/charts/{chart.pk}/tally/", tap_data())
    assert count_of(chart) == 6


def test_institution_staff_and_visitors_are_kept_out(
    client: Client, users: dict[str, User], chart: ForumChart
) -> None:
    base = f"/staff/knowhow/charts/{chart.pk}/"
    response = client.get(base)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(users["institution"])
    assert client.get(base).status_code == 403
    assert client.get("/staff/knowhow/charts/").status_code == 403


def test_wrong_methods(client: Client, users: dict[str, User], chart: ForumChart) -> None:
    client.force_login(users["sc"])
    base = f"/staff/knowhow/charts/{chart.pk}/"
    assert client.put(base + "close/").status_code == 405  # GET asks first (test_chart_close)
    assert client.post(base).status_code == 405
    assert client.post(base + "screen/").status_code == 405
