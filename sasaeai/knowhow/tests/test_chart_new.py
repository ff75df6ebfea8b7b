"""Opening a chart: for a region the facilitator may tally, optionally at one of its council's
meetings; bad input is told in Japanese and makes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.test import area

from ..models import ChartCell, ForumChart

pytestmark = pytest.mark.django_db
URL = "/staff/knowhow/charts/new/"


def _data(**fields: object) -> dict[str, object]:
    return {"title": "高島平 支え合いフォーラム", "held_on": "2026-11-03",
            "area": area("takashimadaira").pk, "meeting": "", **fields}  # fmt: skip


def test_the_sc_opens_a_chart_at_a_meeting(client: Client, users: dict[str, User]) -> None:
    meeting = make_meeting(make_council("takashimadaira"), dt.date(2026, 11, 3))
    client.force_login(users["sc"])
    form = client.get(URL).content.decode()
    assert "高島平" in form and "板橋</option>" not in form
    response = client.post(URL, _data(meeting=meeting.pk), follow=True)
    chart = ForumChart.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/knowhow/charts/{chart.pk}/tally/"
    assert "チャートを作りました。" in response.content.decode()
    assert chart.meeting == meeting and chart.opened_by == users["sc"]
    assert ChartCell.objects.filter(chart=chart, count=0).count() == 12
    # The meeting's page leads to the chart.
    page = client.get(f"/staff/councils/meetings/{meeting.pk}/").content.decode()
    assert f"/staff/knowhow/charts/{chart.pk}/" in page


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"title": ""}, "題名を書いてください。"),
        ({"title": "<b>集い</b>"}, "タグ（HTMLなど）は使えません"),
        ({"held_on": "2026-13-45"}, "日付を選んでください。"),
        ({"area": "itabashi"}, "選びなおしてください。"),
    ],
)
def test_bad_input_makes_nothing(
    client: Client, users: dict[str, User], fields: dict[str, str], said: str
) -> None:
    if fields.get("area") == "itabashi":
        fields = {"area": str(area("itabashi").pk)}
    client.force_login(users["sc"])
    response = client.post(URL, _data(**fields))
    assert response.status_code == 200 and said in response.content.decode()
    assert not ForumChart.objects.exists()


def test_a_meeting_of_another_region_is_refused(client: Client, users: dict[str, User]) -> None:
    theirs = make_meeting(make_council("tokumaru"), dt.date(2026, 11, 3))
    client.force_login(users["block"])  # may tally both regions, but not mix them
    response = client.post(URL, _data(meeting=theirs.pk))
    assert "選んだ地域の支え合い会議の会議を選んでください。" in response.content.decode()
    client.force_login(users["sc"])  # another region's meeting is not even a choice
    response = client.post(URL, _data(meeting=theirs.pk))
    assert "選びなおしてください。" in response.content.decode()
    assert not ForumChart.objects.exists()
