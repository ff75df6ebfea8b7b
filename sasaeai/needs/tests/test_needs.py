"""A need's path and its timeline, through the services and through the staff pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs import services
from sasaeai.needs.models import Need, NeedEvent, Source, Status
from sasaeai.test import area

from .builders import make_need, need_kind

pytestmark = pytest.mark.django_db


def timeline(need: Need) -> list[tuple[str, str, str]]:
    return [(e.action, e.status, e.by_name) for e in need.events.all()]


def test_numbers_run_per_municipality_and_year(users: dict) -> None:
    a = make_need(reported_on=dt.date(2025, 12, 30))
    b = make_need(reported_on=dt.date(2026, 1, 5))
    c = make_need(reported_on=dt.date(2026, 2, 1))
    d = make_need("kita-jhs")
    assert (a.number, b.number, c.number) == ("N-2025-0001", "N-2026-0001", "N-2026-0002")
    assert d.number == f"N-{timezone.localdate().year}-0001"  # みどり町 counts its own
    assert len(c.receipt) == len("N-2026-0002-123") and c.receipt.startswith(c.number + "-")


def test_the_path_new_discussed_met_and_reopened(users: dict) -> None:
    sc = users["sc"]
    need = make_need(by=sc, reported_on=dt.date(2026, 4, 2))
    meeting = make_meeting(make_council())
    salon = make_activity("いきいきサロン")
    services.move(need, Status.DISCUSSED, by=sc, on=dt.date(2026, 4, 16), meeting=meeting,
                  note="買い物の同行を話し合った")  # fmt: skip
    services.move(need, Status.MET_BY_ACTIVITY, by=sc, on=dt.date(2026, 5, 1), activity=salon)
    need.refresh_from_db()
    assert need.status == Status.MET_BY_ACTIVITY and need.activity == salon
    assert need.meeting == meeting
    services.reopen(need, by=sc, on=dt.date(2026, 6, 1), note="活動が休止した")
    need.refresh_from_db()
    assert need.status == Status.DISCUSSED and need.activity is None
    name = str(sc)
    assert timeline(need) == [
        ("created", "new", name),
        ("moved", "discussed", name),
        ("moved", "met_by_activity", name),
        ("reopened", "discussed", name),
    ]
    days = [e.on for e in need.events.all()]
    assert days[1:] == [dt.date(2026, 4, 16), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    met = need.events.get(status=Status.MET_BY_ACTIVITY)
    assert met.activity == salon  # the timeline keeps what the need no longer links to


def test_a_never_discussed_need_reopens_as_new(users: dict) -> None:
    need = make_need()
    services.move(need, Status.REFERRED, by=users["sc"], referred_to="おとしより相談センター")
    services.reopen(need, by=users["sc"], note="もう一度")
    assert need.status == Status.NEW and need.referred_to == ""


@pytest.mark.parametrize(
    ("to", "fields", "message"),
    [
        (Status.MET_BY_ACTIVITY, {}, "つないだ活動を選んでください。"),
        (Status.REFERRED, {"referred_to": "  "}, "つないだ先を書いてください。"),
        (Status.CANNOT_BE_MET, {}, "理由をメモに書いてください。"),
        (Status.NEW, {}, "今の状態からは、その操作はできません。"),
    ],
)
def test_a_step_must_record_what_it_needs(users: dict, to: str, fields: dict, message: str) -> None:
    need = make_need()
    with pytest.raises(ValidationError, match=message):
        services.move(need, to, by=users["sc"], **fields)
    assert Need.objects.get().status == Status.NEW and NeedEvent.objects.count() == 1


def test_closed_needs_take_no_step_and_open_ones_are_not_reopened(users: dict) -> None:
    need = make_need()
    with pytest.raises(ValidationError):
        services.reopen(need, by=users["sc"])
    services.move(need, Status.CANNOT_BE_MET, by=users["sc"], note="担い手がいない")
    with pytest.raises(ValidationError):
        services.move(need, Status.DISCUSSED, by=users["sc"])


def test_the_database_refuses_a_name_without_consent(users: dict) -> None:
    with pytest.raises(IntegrityError):
        make_need(reporter_name="板橋 花子")


# --- through the staff pages ------------------------------------------------------------


def test_sc_records_a_need_with_a_consenting_reporter(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = {"area": area("takashimadaira").pk, "kind": need_kind("small-jobs").pk,
            "what": "電球を替えられない", "source": Source.SC_VISIT, "people_count": 3,
            "urgency": 3, "reported_on": "2026-04-10", "reporter_consent": "on",
            "reporter_name": "板橋 花子", "reporter_contact": "03-0000-0000"}  # fmt: skip
    response = client.post("/staff/needs/new/", data)
    need = Need.objects.get()
    assert response["Location"] == f"/staff/needs/{need.pk}/"
    assert need.created_by == users["sc"] and need.seen_at is not None  # not 新着
    assert need.number == "N-2026-0001" and need.consent_recorded_at is not None
    text = client.get(response["Location"]).content.decode()
    assert "板橋 花子" in text and "電球を替えられない" in text
    client.force_login(users["member"])  # may read the need, not who sent it
    text = client.get(response["Location"]).content.decode()
    assert "電球を替えられない" in text and "板橋 花子" not in text and "03-0000" not in text


def test_staff_form_refuses_a_name_without_consent(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = {"area": area("takashimadaira").pk, "kind": need_kind("talk").pk, "what": "x",
            "source": "resident", "people_count": 1, "urgency": 2, "reported_on": "2026-04-10",
            "reporter_name": "板橋 花子"}  # fmt: skip
    text = client.post("/staff/needs/new/", data).content.decode()
    assert "チェックを入れてください" in text and not Need.objects.exists()
    data.update(reporter_name="", people_count=0, reported_on="2999-01-01")
    text = client.post("/staff/needs/new/", data).content.decode()
    assert "1人以上" in text and "未来の日付" in text and not Need.objects.exists()


def test_edit_keeps_the_number(client: Client, users: dict) -> None:
    need = make_need()
    client.force_login(users["sc"])
    data = {"area": need.area.pk, "kind": need.kind.pk, "what": "書き直した",
            "source": "meeting", "people_count": 5, "urgency": 1,
            "reported_on": need.reported_on.isoformat()}  # fmt: skip
    assert client.post(f"/staff/needs/{need.pk}/edit/", data).status_code == 302
    edited = Need.objects.get()
    assert edited.what == "書き直した" and edited.number == need.number
    assert edited.people_count == 5


def test_status_steps_through_the_pages(client: Client, users: dict) -> None:
    need = make_need(reported_on=dt.date(2026, 4, 2))
    meeting = make_meeting(make_council())
    salon = make_activity("いきいきサロン")
    client.force_login(users["sc"])
    url = f"/staff/needs/{need.pk}/"
    form = client.get(url).content.decode()
    assert "支え合い会議高島平 第1回" in form and "いきいきサロン" in form
    step = {"to": "discussed", "on": "2026-04-16", "meeting": meeting.pk, "note": "話し合った"}
    assert client.post(url + "status/", step)["Location"] == url
    missing = client.post(url + "status/", {"to": "met_by_activity", "on": "2026-05-01"})
    assert (
        missing.status_code == 400 and "つないだ活動を選んでください。" in missing.content.decode()
    )
    early = client.post(url + "status/", {**step, "on": "2026-04-01"})
    assert early.status_code == 400 and "受け付けた日より前" in early.content.decode()
    met = {"to": "met_by_activity", "on": "2026-05-01", "activity": salon.pk}
    assert client.post(url + "status/", met)["Location"] == url
    again = client.post(url + "status/", step)
    assert again["Location"] == url and Need.objects.get().status == Status.MET_BY_ACTIVITY
    assert client.post(url + "reopen/", {"note": ""}).status_code == 400
    assert client.post(url + "reopen/", {"note": "休止した"})["Location"] == url
    text = client.get(url).content.decode()
    for words in ("2026年4月16日", "話し合った", "支え合い会議高島平 第1回", "2026年5月1日",
                  "今ある活動につないだ", "いきいきサロン", "再開", "休止した"):  # fmt: skip
        assert words in text, words
    assert [e.status for e in need.events.all()] == [
        "new", "discussed", "met_by_activity", "discussed",
    ]  # fmt: skip


def test_an_activity_of_another_region_cannot_be_linked(client: Client, users: dict) -> None:
    need = make_need()
    elsewhere = make_activity("成増のサロン", "narimasu")
    client.force_login(users["sc"])
    step = {"to": "met_by_activity", "on": "2026-05-01", "activity": elsewhere.pk}
    assert client.post(f"/staff/needs/{need.pk}/status/", step).status_code == 400
    assert Need.objects.get().status == Status.NEW


def test_list_filters(client: Client, users: dict) -> None:
    make_need(what="買い物A", reported_on=dt.date(2026, 4, 2))
    make_need("narimasu", kind="talk", what="話し相手B", reported_on=dt.date(2026, 5, 2))
    closed = make_need(what="買い物C", reported_on=dt.date(2026, 6, 2))
    services.move(closed, Status.CANNOT_BE_MET, by=users["block"], note="今は無理")
    client.force_login(users["block"])

    def shown(**query: Any) -> set[str]:
        text = client.get("/staff/needs/", query).content.decode()
        return {w for w in ("買い物A", "話し相手B", "買い物C") if w in text}

    assert shown() == {"買い物A", "話し相手B", "買い物C"}
    assert shown(area=area("narimasu").pk) == {"話し相手B"}
    assert shown(kind=need_kind("shopping").pk) == {"買い物A", "買い物C"}
    assert shown(status="open") == {"買い物A", "話し相手B"}
    assert shown(status="cannot_be_met") == {"買い物C"}
    assert shown(start="2026-05-01", end="2026-05-31") == {"話し相手B"}
    assert shown(area=area("itabashi").pk) == {"買い物A", "話し相手B", "買い物C"}  # refused
