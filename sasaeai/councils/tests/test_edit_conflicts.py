"""Two staff edit the same meeting (or agenda item, action, member, council) at once: the
second to save is told, nothing of theirs is written, the first's values stay."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.councils.forms import MeetingForm
from sasaeai.councils.models import Meeting
from sasaeai.lib import optimistic
from sasaeai.test import at_once

from .builders import make_action, make_council, make_item, make_meeting, make_member

pytestmark = pytest.mark.django_db
BASE = "/staff/councils/"
TOLD = "ほかの人が先に保存しました"


def version_of(client: Client, user: Any, url: str) -> str:
    client.force_login(user)
    found = re.search(r'name="version" value="([^"]+)"', client.get(url).content.decode())
    assert found, "the form carries the version it was read with"
    return found.group(1)


def two_open(users: dict, url: str) -> tuple[Client, str, Client, str]:
    """The SC and the block SC open the same form."""
    sc, block = Client(), Client()
    return sc, version_of(sc, users["sc"], url), block, version_of(block, users["block"], url)


def meeting_data(version: str, venue: str) -> dict[str, str]:
    return {"version": version, "date": "2026-05-21", "starts_at": "14:00", "ends_at": "16:00",
            "venue": venue}  # fmt: skip


def test_the_second_to_save_a_meeting_is_told(users: dict) -> None:
    meeting = make_meeting(venue="集会所")
    url = f"{BASE}meetings/{meeting.pk}/edit/"
    sc, first, block, second = two_open(users, url)
    entries = AuditEntry.objects.filter(model="councils.Meeting", object_id=str(meeting.pk))
    before = entries.count()

    assert sc.post(url, meeting_data(first, "地域センター 第1会議室")).status_code == 302
    response = block.post(url, meeting_data(second, "区役所 会議室A"))

    page = response.content.decode()
    assert response.status_code == 409
    assert TOLD in page and 'value="区役所 会議室A"' in page
    assert "いま保存されている内容" in page and "地域センター 第1会議室" in page
    meeting.refresh_from_db()
    assert meeting.venue == "地域センター 第1会議室" and meeting.date == dt.date(2026, 5, 21)
    assert entries.count() == before + 1
    # Having looked, they send again (the page now carries the version saved): it saves.
    again = re.search(r'name="version" value="([^"]+)"', page)
    assert (
        again and block.post(url, meeting_data(again.group(1), "区役所 会議室A")).status_code == 302
    )
    meeting.refresh_from_db()
    assert meeting.venue == "区役所 会議室A"


def test_the_second_to_save_an_agenda_item_is_told(users: dict) -> None:
    item = make_item(make_meeting(), title="見守り活動の報告")
    url = f"{BASE}agenda/{item.pk}/"
    sc, first, block, second = two_open(users, url)
    assert sc.post(url, {"version": first, "title": "見守りの報告（6月）"}).status_code == 302
    response = block.post(url, {"version": second, "title": "見守り当番の相談"})
    assert response.status_code == 409 and TOLD in response.content.decode()
    item.refresh_from_db()
    assert item.title == "見守りの報告（6月）"


def test_the_second_to_save_an_action_is_told(users: dict) -> None:
    action = make_action(make_meeting(), what="チラシを作る")
    url = f"{BASE}actions/{action.pk}/"
    sc, first, block, second = two_open(users, url)
    assert sc.post(url, {"version": first, "what": "チラシを100枚刷る"}).status_code == 302
    response = block.post(url, {"version": second, "what": "チラシをやめる"})
    assert response.status_code == 409 and "チラシを100枚刷る" in response.content.decode()
    action.refresh_from_db()
    assert action.what == "チラシを100枚刷る"


def test_the_second_to_save_a_member_is_told(users: dict) -> None:
    member = make_member(make_council(), name="板橋 太郎")
    url = f"{BASE}members/{member.pk}/"
    sc, first, block, second = two_open(users, url)
    data = {"sector": member.sector, "role": member.role}
    assert sc.post(url, {**data, "version": first, "name": "板橋 一郎"}).status_code == 302
    response = block.post(url, {**data, "version": second, "name": "板橋 次郎"})
    assert response.status_code == 409
    member.refresh_from_db()
    assert member.name == "板橋 一郎"


def test_the_second_to_save_a_council_is_told(users: dict) -> None:
    council = make_council(venue="集会所")
    url = f"{BASE}{council.pk}/edit/"
    sc, first, block, second = two_open(users, url)
    data = {"name": council.name, "frequency": "毎月", "first_number": "1",
            "scs-TOTAL_FORMS": "0", "scs-INITIAL_FORMS": "0"}  # fmt: skip
    assert sc.post(url, {**data, "version": first, "venue": "地域センター"}).status_code == 302
    response = block.post(url, {**data, "version": second, "venue": "区役所"})
    assert response.status_code == 409 and TOLD in response.content.decode()
    council.refresh_from_db()
    assert council.venue == "地域センター"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_saves_of_a_meeting_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    meeting = make_meeting(venue="集会所")
    read = optimistic.token(meeting.updated_at)
    rooms = itertools.count(1)

    def save() -> str:
        venue = f"会議室{next(rooms)}"
        form = MeetingForm(meeting_data(read, venue), instance=Meeting.objects.get(pk=meeting.pk))
        assert form.is_valid(), form.errors
        return venue if optimistic.saved(form) else "told"

    results = at_once(4, save)
    won = [venue for venue in results if venue != "told"]
    assert len(won) == 1 and results.count("told") == 3
    assert Meeting.objects.get(pk=meeting.pk).venue == won[0]
