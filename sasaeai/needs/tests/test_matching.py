"""Matching against hand-made data: who is suggested, in which order, and why; introductions
on the need's timeline; the public 仲間募集 list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs import helper_services
from sasaeai.needs.matching import suggest_for_helper, suggest_for_need
from sasaeai.needs.models import EventAction, Introduction, PeerCall

from .builders import make_helper, make_need

pytestmark = pytest.mark.django_db
WED, AFTERNOON = 1 << 2, 2
NO_ADDRESS = "住所がないため距離はわかりません"
EVENING_MON = [{"frequency": "weekly", "weekdays": "0", "opens_at": dt.time(18),
                "closes_at": dt.time(20)}]  # fmt: skip


@pytest.fixture
def world(itabashi: Any) -> dict[str, Any]:
    return {
        "here": make_activity("高島平の買い物", kinds=("shopping",), place=(35.7890, 139.6590)),
        "hasune": make_activity("蓮根の買い物", "hasune", kinds=("shopping",),
                                place=(35.7845, 139.6745), schedules=EVENING_MON),
        "salon": make_activity("高島平サロン", kinds=("salon",)),
        "far": make_activity("板橋の買い物", "itabashi", kinds=("shopping",)),
        "draft": make_activity("下書きの買い物", kinds=("shopping",), status="draft"),
        "staff": make_activity("職員のみの買い物", kinds=("shopping",), visibility="staff"),
    }  # fmt: skip


def test_activities_for_a_need_with_reasons_and_order(world: dict) -> None:
    need = make_need(kind="shopping")
    found = suggest_for_need(need, weekday_bits=WED, daypart_bits=AFTERNOON).activities
    assert [s.name for s in found] == ["高島平の買い物", "蓮根の買い物"]
    assert found[0].reasons == ("種類が合う", "同じ地域", "約 0.0 km", "水曜の午後")
    assert found[1].reasons == ("種類が合う", "約 1.5 km")
    assert found[0].score > found[1].score


def test_time_decides_between_equals(world: dict) -> None:
    need = make_need("hasune", kind="shopping")
    found = suggest_for_need(need, weekday_bits=1, daypart_bits=4).activities  # Mon evening
    assert found[0].name == "蓮根の買い物" and "月曜の夕方・夜" in found[0].reasons


def test_helpers_for_a_need(world: dict) -> None:
    need = make_need(kind="shopping")
    make_helper(name="近くの人", weekday_bits=WED, daypart_bits=AFTERNOON)
    make_helper("hasune", name="蓮根の人", latitude=35.7845, longitude=139.6745)
    make_helper(name="話し相手の人", kinds=("talk",))
    helper_services.remove_helper(make_helper(name="やめた人"))
    make_helper("itabashi", name="遠くの人")
    found = suggest_for_need(need, weekday_bits=WED, daypart_bits=AFTERNOON).helpers
    assert [s.name for s in found] == ["近くの人", "蓮根の人"]
    # 近くの人 left no address: the distance is not made up from the region's centre.
    assert found[0].reasons == ("種類が合う", "同じ地域", NO_ADDRESS, "水曜の午後")
    assert found[0].km is None
    assert found[1].reasons == ("種類が合う", "約 1.4 km")  # its point is kept rounded


def test_an_activity_without_an_address_says_so(world: dict) -> None:
    make_activity("住所のない買い物", kinds=("shopping",), place=None)
    found = suggest_for_need(make_need(kind="shopping")).activities
    unplaced = next(s for s in found if s.name == "住所のない買い物")
    assert unplaced.reasons == ("種類が合う", "同じ地域", NO_ADDRESS) and unplaced.km is None
    assert not any("km" in reason for reason in unplaced.reasons)
    placed = next(s for s in found if s.name == "高島平の買い物")
    assert "約 0.0 km" in placed.reasons  # its place is at the region's centre, for real


def test_a_helper_without_an_address_sees_no_distances(world: dict) -> None:
    helper = make_helper(kinds=("shopping",))
    PeerCall.objects.create(activity=world["here"], looking_for="helpers", what="付き添い")
    found = suggest_for_helper(helper)
    assert found[0].reasons[-1] == NO_ADDRESS and found[0].km is None


def test_peer_calls_for_a_helper(world: dict) -> None:
    helper = make_helper(kinds=("shopping",), weekday_bits=WED, daypart_bits=AFTERNOON)
    PeerCall.objects.create(activity=world["here"], looking_for="helpers", what="付き添い")
    PeerCall.objects.create(activity=world["salon"], looking_for="helpers", what="お茶出し")
    PeerCall.objects.create(activity=world["here"], looking_for="members", what="参加者")
    PeerCall.objects.create(activity=world["hasune"], looking_for="helpers", what="過去",
                            until=dt.date(2020, 1, 1))  # fmt: skip
    PeerCall.objects.create(activity=world["far"], looking_for="helpers", what="遠く")
    found = suggest_for_helper(helper)
    assert [s.name for s in found] == ["高島平の買い物：付き添い", "高島平サロン：お茶出し"]
    assert found[0].reasons[0] == "種類が合う" and "種類が合う" not in found[1].reasons


def test_sc_records_an_introduction_from_a_suggestion(client: Client, users: dict) -> None:
    need = make_need(kind="shopping")
    activity = make_activity("高島平の買い物", kinds=("shopping",))
    client.force_login(users["sc"])
    page = client.get(f"/staff/needs/{need.pk}/matches/", {"weekdays": "2"}).content.decode()
    assert "高島平の買い物" in page and "種類が合う" in page
    data = {"activity": activity.pk, "reasons": "種類が合う・同じ地域", "on": str(dt.date.today()),
            "outcome": "pending", "note": "電話で紹介した"}  # fmt: skip
    response = client.post(f"/staff/needs/{need.pk}/introduce/", data, follow=True)
    text = response.content.decode()
    assert "紹介を記録しました" in text and "提案の理由: 種類が合う・同じ地域" in text
    intro = Introduction.objects.get()
    assert intro.need == need and intro.activity == activity and intro.by == users["sc"]
    assert need.events.filter(action=EventAction.INTRODUCED).count() == 1
    client.post(f"/staff/needs/introductions/{intro.pk}/outcome/", {"outcome": "connected"})
    intro.refresh_from_db()
    assert intro.outcome == "connected"


def test_bad_introduction_stores_nothing(client: Client, users: dict) -> None:
    need = make_need()
    client.force_login(users["sc"])
    client.post(f"/staff/needs/{need.pk}/introduce/", {"on": "2999-01-01", "outcome": "x"})
    client.post(f"/staff/needs/{need.pk}/introduce/", {"on": str(dt.date.today()),
                                                        "outcome": "pending"})  # fmt: skip
    assert not Introduction.objects.exists()


def test_public_peer_list_shows_open_calls_of_public_activities(
    client: Client, world: dict
) -> None:
    for key, what in (("here", "公開の募集"), ("draft", "下書きの募集"), ("staff", "職員のみ募集")):
        PeerCall.objects.create(activity=world[key], what=what)
    PeerCall.objects.create(activity=world["salon"], what="締め切り済み", until=dt.date(2020, 1, 1))
    text = client.get("/needs/peers/").content.decode()
    assert "公開の募集" in text and f"/activities/{world['here'].pk}/" in text
    for hidden in ("下書きの募集", "職員のみ募集", "締め切り済み"):
        assert hidden not in text
    assert client.post("/needs/peers/").status_code == 405
    other = client.get("/needs/peers/", HTTP_HOST="midori.example.jp").content.decode()
    assert "公開の募集" not in other
