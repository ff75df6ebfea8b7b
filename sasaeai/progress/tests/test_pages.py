"""The route's staff pages: who may see, walk and comment; bad input; the picture says what
the list says; the ward's page of every region costs the same few queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.audit.models import AuditEntry
from sasaeai.councils.tests.builders import make_council, make_meeting, make_minutes
from sasaeai.progress import services
from sasaeai.progress.models import Goal, GoalComment, GoalStatus, Milestone

from .builders import make_goal

pytestmark = pytest.mark.django_db
BASE = "/staff/progress/"


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_region_sc_sets_a_goal_and_the_others_may_not(client: Client, users: dict) -> None:
    data = {"started_year": "2026", "title": "担い手を見つける", "why": "手が足りない",
            "initiative": "nakama", "stage": "2"}  # fmt: skip
    for who in ("block", "ward", "admin", "member"):
        response = signed_in(client, users[who]).post(f"{BASE}takashimadaira/goals/new/", data)
        assert response.status_code == 403, who
    response = signed_in(client, users["other_sc"]).post(f"{BASE}takashimadaira/goals/new/", data)
    assert response.status_code == 404
    assert not Goal.objects.exists()
    response = signed_in(client, users["sc"]).post(f"{BASE}takashimadaira/goals/new/", data)
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}goals/{goal.pk}/"
    assert goal.area.code == "takashimadaira" and goal.started_year == 2026
    assert AuditEntry.objects.filter(model="progress.Goal", action="create").exists()


def test_a_goal_without_a_title_is_told_in_japanese_and_nothing_is_saved(
    client: Client, users: dict
) -> None:
    data = {"started_year": "2026", "title": "", "initiative": "nakama", "stage": "9"}
    response = signed_in(client, users["sc"]).post(f"{BASE}takashimadaira/goals/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "ここを入れてください。" in page
    assert "選びなおしてください。" in page and not Goal.objects.exists()


def test_another_regions_route_is_not_found_and_audited(client: Client, users: dict) -> None:
    goal = make_goal(milestones=("声をかける",))
    milestone = goal.milestones.get()
    client = signed_in(client, users["other_sc"])
    for url in [f"{BASE}takashimadaira/", f"{BASE}goals/{goal.pk}/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"{BASE}milestones/{milestone.pk}/reach/").status_code == 404
    assert (
        signed_in(Client(), users["other_admin"]).get(f"{BASE}goals/{goal.pk}/").status_code == 404
    )
    assert AuditEntry.objects.filter(action="denied").count() >= 4
    assert Milestone.objects.get().reached_on is None


def test_block_and_ward_comment_council_members_read(client: Client, users: dict) -> None:
    goal = make_goal()
    for who in ("block", "ward", "sc"):
        response = signed_in(client, users[who]).post(
            f"{BASE}goals/{goal.pk}/comments/", {"text": f"{who} より"}
        )
        assert response.status_code == 302, who
    member = signed_in(Client(), users["member"])
    assert member.get(f"{BASE}goals/{goal.pk}/").status_code == 200
    assert member.post(f"{BASE}goals/{goal.pk}/comments/", {"text": "x"}).status_code == 403
    assert member.post(f"{BASE}goals/{goal.pk}/status/", {"status": "reached"}).status_code == 403
    assert list(GoalComment.objects.values_list("text", flat=True)) == [
        "block より",
        "ward より",
        "sc より",
    ]
    assert Goal.objects.get().status == GoalStatus.PLANNED


def test_a_review_without_reason_changes_nothing(client: Client, users: dict) -> None:
    goal = make_goal()
    client = signed_in(client, users["sc"])
    response = client.post(f"{BASE}goals/{goal.pk}/status/", {"status": "review"}, follow=True)
    assert "見直しの理由を書いてください。" in response.content.decode()
    assert Goal.objects.get().status == GoalStatus.PLANNED


def test_a_milestone_is_ticked_from_the_minutes_and_the_page_goes_back_there(
    client: Client, users: dict
) -> None:
    goal = make_goal(milestones=("声をかける", "迎える"))
    minutes = make_minutes(make_meeting())
    client = signed_in(client, users["sc"])
    page = client.get(f"/staff/councils/minutes/{minutes.pk}/").content.decode()
    assert "「声をかける」に着いた" in page and "「迎える」に着いた" in page
    first = goal.milestones.get(title="声をかける")
    response = client.post(f"{BASE}milestones/{first.pk}/reach/", {"minutes": minutes.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/councils/minutes/{minutes.pk}/"
    first.refresh_from_db()
    assert first.minutes == minutes and first.reached_on == minutes.meeting.date
    page = client.get(f"/staff/councils/minutes/{minutes.pk}/").content.decode()
    assert "この会議で報告した通過点" in page and "「声をかける」に着いた" not in page
    other = make_minutes(make_meeting(make_council("itabashi")))
    second = goal.milestones.get(title="迎える")
    assert (
        client.post(f"{BASE}milestones/{second.pk}/reach/", {"minutes": other.pk}).status_code
        == 404
    )


def test_the_picture_holds_the_same_facts_as_the_list(client: Client, users: dict) -> None:
    goal = make_goal(milestones=("声をかける", "迎える", "続け方を決める"))
    services.reach(goal.milestones.get(title="迎える"), by=None)
    page = signed_in(client, users["sc"]).get(f"{BASE}takashimadaira/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    listed = page[page.index('<ol class="stations"') :]
    listed = listed[: listed.index("</ol>")]
    drawn = re.findall(r"<title>(\d+)\. (.+?)（(着いた|これから)）</title>", svg)
    assert drawn == [
        ("1", "声をかける", "これから"),
        ("2", "迎える", "着いた"),
        ("3", "続け方を決める", "これから"),
    ]
    for number, title, state in drawn:
        item = re.search(
            rf'<li class="stations__item[^"]*" value="{number}">(.+?)</li>', listed, re.S
        )
        assert item and title in item.group(1)
        assert ("stations__item--reached" in item.group(0)) == (state == "着いた")
    assert "通過点 3 のうち 1 に着きました" in svg


def test_the_wards_page_of_every_region_costs_the_same_few_queries(
    client: Client, users: dict
) -> None:
    client = signed_in(client, users["ward"])
    make_goal(milestones=("a",))
    client.get(f"{BASE}131199/")  # the session's first page writes what later ones only read
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{BASE}131199/").status_code == 200
    for code in ("itabashi", "fujimi", "funado", "hasune"):
        for year in (2025, 2026):
            make_goal(code, year=year, milestones=("a", "b"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"{BASE}131199/?year=2026").content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert page.count('class="mountains__item"') == 18
