"""Creating meetings (numbered), series, agenda, attendance, actions and their carry-over."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from sasaeai.councils import services
from sasaeai.councils.models import (
    ActionItem,
    ActionStatus,
    Council,
    Meeting,
    MeetingSeries,
    Sector,
)
from sasaeai.directory.tests.builders import make_activity

from .builders import make_action, make_council, make_item, make_meeting, make_member

BASE = "/staff/councils/"


@pytest.mark.django_db
def test_sc_creates_meeting_numbered_after_the_last(client: Client, users: dict) -> None:
    council = make_council(first_number=60)
    client.force_login(users["sc"])
    assert "第60回" in client.get(f"{BASE}{council.pk}/meetings/new/").content.decode()
    data = {"date": "2026-05-21", "starts_at": "14:00", "ends_at": "16:00",
            "venue": "高島平地域センター"}  # fmt: skip
    response = client.post(f"{BASE}{council.pk}/meetings/new/", data)
    meeting = Meeting.objects.get(council=council)
    assert meeting.number == 60 and response["Location"] == f"{BASE}meetings/{meeting.pk}/"
    client.post(f"{BASE}{council.pk}/meetings/new/", {**data, "date": "2026-06-18"})
    assert list(council.meetings.order_by("number").values_list("number", flat=True)) == [60, 61]
    page = client.get(response["Location"]).content.decode()
    assert "支え合い会議高島平 第60回" in page and "2026年5月21日" in page


@pytest.mark.django_db
def test_end_before_start_is_explained(client: Client, users: dict) -> None:
    council = make_council()
    client.force_login(users["sc"])
    data = {"date": "2026-05-21", "starts_at": "14:00", "ends_at": "13:00"}
    response = client.post(f"{BASE}{council.pk}/meetings/new/", data)
    assert "終了時刻は開始時刻より後にしてください" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_series_makes_third_thursdays(client: Client, users: dict) -> None:
    council = make_council()
    make_meeting(council, date=dt.date(2026, 5, 21))  # already there: not made twice
    client.force_login(users["sc"])
    data = {"nth": "3", "weekday": "3", "starts_at": "14:00", "ends_at": "16:00",
            "venue": "高島平地域センター", "start": "2026-04-20", "months": "4"}  # fmt: skip
    response = client.post(f"{BASE}{council.pk}/series/new/", data)
    assert response.status_code == 302
    dates = list(council.meetings.order_by("number").values_list("number", "date"))
    assert dates == [
        (1, dt.date(2026, 5, 21)),
        (2, dt.date(2026, 6, 18)),
        (3, dt.date(2026, 7, 16)),
    ]
    assert MeetingSeries.objects.get().meetings.count() == 2


def test_nth_weekday_skips_months_without_a_fifth() -> None:
    series = MeetingSeries(nth=5, weekday=3)
    assert series.dates(dt.date(2026, 1, 1), 3) == [dt.date(2026, 1, 29)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_concurrent_creation_never_duplicates_a_number(itabashi: Any) -> None:
    council = make_council(first_number=61)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def create(day: int) -> None:
        try:
            barrier.wait()
            services.create_meeting(council, date=dt.date(2026, 6, day))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(d,)) for d in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(council.meetings.values_list("number", flat=True))
    assert numbers == [61, 62, 63, 64, 65, 66]


@pytest.mark.django_db
def test_open_actions_are_carried_to_later_agendas_until_done(client: Client, users: dict) -> None:
    council = make_council()
    first = make_meeting(council, date=dt.date(2026, 4, 16))
    second = make_meeting(council, date=dt.date(2026, 5, 21))
    third = make_meeting(council, date=dt.date(2026, 6, 18))
    flyer = make_action(first, "チラシを作る", who="田中", due_on=dt.date(2026, 5, 1))
    survey = make_action(first, "アンケートを配る")
    client.force_login(users["sc"])
    page = client.get(f"{BASE}meetings/{second.pk}/").content.decode()
    assert "チラシを作る" in page and "アンケートを配る" in page
    services.set_action_status(flyer, ActionStatus.DONE, on=dt.date(2026, 6, 1))
    assert list(ActionItem.objects.carried_to(third)) == [survey]
    # The second meeting's agenda still shows what was open on its day.
    assert set(ActionItem.objects.carried_to(second)) == {flyer, survey}
    assert list(ActionItem.objects.carried_to(first)) == []


@pytest.mark.django_db
def test_overdue_actions_are_highlighted(client: Client, users: dict) -> None:
    council = make_council()
    meeting = make_meeting(council)
    make_action(meeting, "名簿を整える", due_on=dt.date(2020, 1, 1))
    make_action(meeting, "会場を予約する", due_on=dt.date(2099, 1, 1))
    client.force_login(users["sc"])
    page = client.get(f"{BASE}{council.pk}/actions/").content.decode()
    assert page.count("action-item--overdue") == 1 and "期限切れ" in page
    listing = client.get(BASE).content.decode()
    assert "期限切れ 1 件" in listing


@pytest.mark.django_db
def test_mark_action_done(client: Client, users: dict) -> None:
    action = make_action(make_meeting())
    client.force_login(users["sc"])
    client.post(f"{BASE}actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_on is not None


@pytest.mark.django_db
def test_agenda_item_tagged_and_linked_to_an_activity(client: Client, users: dict) -> None:
    meeting = make_meeting()
    salon = make_activity("高島平いきいきサロン")
    elsewhere = make_activity("成増のサロン", area_code="narimasu")
    client.force_login(users["sc"])
    data = {"title": "サロンの担い手探し", "initiative_codes": ["nakama", "tsunagaru"],
            "activities": [str(salon.pk)]}  # fmt: skip
    assert client.post(f"{BASE}meetings/{meeting.pk}/agenda/new/", data).status_code == 302
    item = meeting.agenda.get()
    assert set(item.initiative_labels) == {"つながる", "仲間探し"}
    assert list(item.activities.all()) == [salon]
    bad = {**data, "activities": [str(elsewhere.pk)]}
    response = client.post(f"{BASE}meetings/{meeting.pk}/agenda/new/", bad)
    assert response.status_code == 200 and meeting.agenda.count() == 1


@pytest.mark.django_db
def test_attendance_counts_members_and_guests(client: Client, users: dict) -> None:
    council = make_council()
    meeting = make_meeting(council)
    a, b = make_member(council, "会長さん"), make_member(council, "委員さん")
    make_member(council, "退任した人", left_on=dt.date(2020, 1, 1))
    client.force_login(users["sc"])
    form = client.get(f"{BASE}meetings/{meeting.pk}/attendance/").content.decode()
    assert "会長さん" in form and "退任した人" not in form
    data = {"members": [str(a.pk), str(b.pk)], f"guests_{Sector.HOUKATSU}": "2"}
    client.post(f"{BASE}meetings/{meeting.pk}/attendance/", data)
    attendance = meeting.attendance
    assert attendance.total == 4 and attendance.guests == {"houkatsu": 2}
    assert "合計 4 人" in client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()


@pytest.mark.django_db
def test_actions_are_added_and_shown(client: Client, users: dict) -> None:
    meeting = make_meeting()
    item = make_item(meeting)
    client.force_login(users["sc"])
    data = {"what": "回覧板で周知する", "who": "町会長", "due_on": "2026-05-10",
            "agenda_item": str(item.pk)}  # fmt: skip
    assert client.post(f"{BASE}meetings/{meeting.pk}/actions/new/", data).status_code == 302
    assert "回覧板で周知する" in client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()


@pytest.mark.django_db
def test_overview_counts_this_fiscal_year_april_to_march(itabashi: Any) -> None:
    council = make_council()
    for day in (
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 1),
        dt.date(2026, 10, 15),
        dt.date(2026, 12, 17),
    ):
        make_meeting(council, date=day)
    make_action(
        council.meetings.get(date=dt.date(2026, 4, 1)), "古い宿題", due_on=dt.date(2026, 5, 1)
    )
    make_action(council.meetings.get(date=dt.date(2026, 10, 15)), "新しい宿題")
    row = Council.objects.with_overview(dt.date(2026, 11, 26)).get(pk=council.pk)
    assert row.last_meeting_on == dt.date(2026, 10, 15)  # type: ignore[attr-defined]
    assert row.meetings_this_year == 2  # type: ignore[attr-defined]
    assert (row.open_actions, row.overdue_actions) == (2, 1)  # type: ignore[attr-defined]
    january = Council.objects.with_overview(dt.date(2027, 1, 10)).get(pk=council.pk)
    assert january.meetings_this_year == 3  # type: ignore[attr-defined]
