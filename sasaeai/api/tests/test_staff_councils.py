"""The staff API's councils, meetings, minutes and action items: what a script author sees,
the access matrix (the same rows as the staff pages show, 404 for another region or
municipality, 403 for who may see but not change, nothing written on a refusal), token
scopes, audit entries naming the token, bad input, and no query per row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.api import tokens
from sasaeai.api.models import Scope, Token
from sasaeai.audit.models import AuditEntry
from sasaeai.councils.models import ActionItem, AgendaItem, Meeting, Minutes, MinutesStatus
from sasaeai.councils.tests.builders import (
    make_action,
    make_council,
    make_item,
    make_meeting,
    make_member,
)
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import OTHER_HOST, area

pytestmark = pytest.mark.django_db
API = "/api/staff/"
READ, WRITE = Scope.COUNCILS_READ, Scope.COUNCILS_WRITE


def token(user: Any, *scopes: str) -> str:
    """A token of `user` with `scopes` (all, when none are named), made as the settings page
    makes it; a council member, who has no two-step sign-in and so may not make one, gets one
    written directly."""
    chosen = list(scopes) or list(Scope.values)
    expires = timezone.localdate() + dt.timedelta(days=30)
    if user.memberships.filter(role="council_member").exists():
        secret = tokens.PREFIX + user.email
        Token.objects.create(
            user=user, municipality=area("131199"), name="t", prefix=secret[:14],
            digest=tokens.digest(secret), scopes=chosen,
            expires_at=timezone.now() + dt.timedelta(days=30),
        )  # fmt: skip
        return secret
    return tokens.make(user, "t", expires, chosen).secret


class Api:
    """A script holding a token: JSON in, JSON out."""

    def __init__(self, secret: str, host: str = "testserver") -> None:
        self.client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(API + path, query)

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(API + path, data, content_type="application/json")

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)


def api(user: Any, *scopes: str) -> Api:
    host = OTHER_HOST if user.email.startswith("other_admin") else "testserver"
    return Api(token(user, *scopes), host)


@pytest.fixture
def councils(users: dict) -> dict[str, Any]:
    """A council (with a meeting) in the own region, another region and another town."""
    found: dict[str, Any] = {}
    for name, code in [("own", "takashimadaira"), ("other", "itabashi"),
                       ("town", "minami-jhs")]:  # fmt: skip
        council = make_council(code, venue="地域センター")
        found[name] = council
        found[f"{name}_meeting"] = make_meeting(council, date=dt.date(2026, 4, 16), venue="集会所")
    return found


def written() -> tuple[int, ...]:
    """What a write would change: meetings, minutes, action items (and closed ones), agenda."""
    actions = ActionItem.objects
    return (Meeting.objects.count(), Minutes.objects.count(), actions.count(),
            actions.exclude(status="open").count(), AgendaItem.objects.count())  # fmt: skip


# ---- what a script sees ----------------------------------------------------------------


def test_council_list_and_one_council(users: dict, councils: dict) -> None:
    own = councils["own"]
    make_member(own, "高島 一郎")
    make_action(councils["own_meeting"], due_on=dt.date(2026, 4, 30))
    sc = api(users["sc"], READ)
    listed = sc.get("councils/").json()
    assert listed["count"] == 1 and listed["page"] == 1 and listed["per_page"] == 50
    [row] = listed["items"]
    assert row["name"] == own.name and row["area"] == {"code": "takashimadaira", "name": "高島平"}
    assert row["open_actions"] == 1 and row["can_edit"] is True
    one = sc.get(f"councils/{own.pk}/").json()
    assert [m["name"] for m in one["members"]] == ["高島 一郎"]
    assert one["venue"] == "地域センター" and one["next_number"] == 2
    assert [m["title"] for m in one["recent"] + one["upcoming"]] == ["第1回"]


def test_meeting_lists_and_one_meeting(users: dict, councils: dict) -> None:
    meeting = councils["own_meeting"]
    item = make_item(meeting, "見守りの当番")
    make_action(meeting, "チラシを作る", agenda_item=item)
    sc = api(users["sc"], READ)
    across = sc.get("meetings/").json()
    assert [(m["council"]["id"], m["title"]) for m in across["items"]] == [
        (councils["own"].pk, "第1回")
    ]
    assert across["items"][0]["minutes_status"] is None
    assert sc.get("meetings/", year=2025).json()["count"] == 0
    assert sc.get("meetings/", year=2026, area="takashimadaira").json()["count"] == 1
    answer = sc.get("meetings/", area="itabashi")  # another region: not one of the choices
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    per_council = sc.get(f"councils/{councils['own'].pk}/meetings/").json()
    assert [m["id"] for m in per_council["items"]] == [meeting.pk]
    one = sc.get(f"meetings/{meeting.pk}/").json()
    assert one["date"] == "2026-04-16" and one["venue"] == "集会所"
    assert [a["title"] for a in one["agenda"]] == ["見守りの当番"]
    assert [(a["what"], a["agenda_item_id"]) for a in one["actions"]] == [("チラシを作る", item.pk)]
    assert one["minutes"] is None and one["can_edit"] is True and one["can_publish"] is True


def test_create_a_meeting_numbered_next_with_the_councils_venue(
    users: dict, councils: dict
) -> None:
    answer = api(users["sc"]).post(
        f"councils/{councils['own'].pk}/meetings/",
        {"date": "2026-05-21", "starts_at": "14:00", "ends_at": "16:00"},
    )
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["title"] == "第2回" and made["venue"] == "地域センター"
    assert made["starts_at"] == "14:00:00"
    assert Meeting.objects.get(pk=made["id"]).council == councils["own"]


def test_a_meeting_ending_before_it_starts_is_refused_in_japanese(
    users: dict, councils: dict
) -> None:
    before = written()
    answer = api(users["sc"]).post(
        f"councils/{councils['own'].pk}/meetings/",
        {"date": "2026-05-21", "starts_at": "16:00", "ends_at": "14:00"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"where": "body.payload.ends_at", "message": "終了時刻は開始時刻より後にしてください。"}
    ]
    assert written() == before


def test_minutes_written_read_approved_and_corrected(users: dict, councils: dict) -> None:
    meeting = councils["own_meeting"]
    item = make_item(meeting, "見守りの当番")
    sc = api(users["sc"])
    body = {
        "version": 1,
        "notes": "包括から報告があった。",
        "items": [{"agenda_item": item.pk, "discussion": "当番表を回す。",
                   "decisions": ["6月から回覧する"]}],
        "general_decisions": ["次回は7月17日"],
    }  # fmt: skip
    saved = sc.put(f"meetings/{meeting.pk}/minutes/", body)
    assert saved.status_code == 200, saved.content
    minutes = saved.json()
    assert minutes["status"] == "draft" and minutes["version"] == 2
    assert minutes["items"] == [
        {"agenda_item_id": item.pk, "title": "見守りの当番", "discussion": "当番表を回す。"}
    ]
    assert [(d["agenda_item_id"], d["text"]) for d in minutes["decisions"]] == [
        (item.pk, "6月から回覧する"), (None, "次回は7月17日"),
    ]  # fmt: skip
    assert sc.get(f"minutes/{minutes['id']}/").json() == minutes
    assert sc.get(f"meetings/{meeting.pk}/").json()["minutes"]["version"] == 2

    # Someone else saved version 2 first: the late writer is told, and nothing changes.
    stale = sc.put(f"meetings/{meeting.pk}/minutes/", {**body, "notes": "古い"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert Minutes.objects.get(pk=minutes["id"]).notes == "包括から報告があった。"

    approved = sc.post(f"minutes/{minutes['id']}/approve/", {"approved_as": "chair"})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["approved_as"] == "chair"
    again = sc.post(f"minutes/{minutes['id']}/approve/", {"approved_as": "chair"})
    assert again.status_code == 409
    locked = sc.put(f"meetings/{meeting.pk}/minutes/", {**body, "version": 2})
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    assert "承認済みの議事録は変更できません" in locked.json()["detail"]

    corrected = sc.post(f"minutes/{minutes['id']}/correct/", {"reason": "日付の誤り"})
    assert corrected.status_code == 201
    draft = corrected.json()
    assert (draft["revision"], draft["status"], draft["correction_reason"]) == (
        2, "draft", "日付の誤り",
    )  # fmt: skip
    assert draft["notes"] == "包括から報告があった。"
    revisions = sc.get(f"meetings/{meeting.pk}/").json()["revisions"]
    assert [(r["revision"], r["status"]) for r in revisions] == [(1, "approved"), (2, "draft")]


def test_agenda_items_added_in_order(users: dict, councils: dict) -> None:
    meeting = councils["own_meeting"]
    salon = make_activity("いきいきサロン")
    sc = api(users["sc"])
    path = f"meetings/{meeting.pk}/agenda/"
    first = sc.post(path, {"title": "見守りの報告", "initiatives": ["tsunagaru"]})
    assert first.status_code == 201, first.content
    second = sc.post(path, {"title": "サロンの相談", "activities": [salon.pk]}).json()
    assert (first.json()["order"], second["order"]) == (1, 2)
    assert first.json()["initiatives"] == ["tsunagaru"]
    assert second["activities"] == [{"id": salon.pk, "name": "いきいきサロン"}]
    agenda = sc.get(f"meetings/{meeting.pk}/").json()["agenda"]
    assert [a["title"] for a in agenda] == ["見守りの報告", "サロンの相談"]
    elsewhere = make_activity("成増のサロン", "narimasu")
    refused = sc.post(path, {"title": "x", "activities": [elsewhere.pk]})
    assert (
        refused.status_code == 422
        and refused.json()["errors"][0]["where"] == "body.payload.activities"
    )
    assert sc.post(path, {"title": "x", "initiatives": ["nothing"]}).status_code == 422


def test_minutes_refuse_an_agenda_item_of_another_meeting(users: dict, councils: dict) -> None:
    elsewhere = make_item(councils["other_meeting"])
    before = written()
    answer = api(users["sc"]).put(
        f"meetings/{councils['own_meeting'].pk}/minutes/",
        {"version": 1, "items": [{"agenda_item": elsewhere.pk, "discussion": "x"}]},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "この会議の議題ではありません。"
    assert written() == before


def test_action_items_added_and_closed(users: dict, councils: dict) -> None:
    meeting = councils["own_meeting"]
    sc = api(users["sc"])
    body = {"what": "当番表を作る", "who": "山田さん", "due_on": "2026-06-30"}
    added = sc.post(f"meetings/{meeting.pk}/actions/", body)
    assert added.status_code == 201, added.content
    action = added.json()
    assert (action["what"], action["who"], action["status"]) == ("当番表を作る", "山田さん", "open")
    done = sc.post(f"actions/{action['id']}/status/", {"status": "done"}).json()
    assert done["status"] == "done" and done["closed_on"] == timezone.localdate().isoformat()
    bad = sc.post(f"actions/{action['id']}/status/", {"status": "finished"})
    assert bad.status_code == 422


# ---- access ----------------------------------------------------------------------------


def page_ids(user: Any, url: str, key: str, host: str = "testserver") -> set[int]:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.pk for row in response.context[key]}


@pytest.mark.parametrize("who", ["admin", "ward", "block", "sc", "member", "other_sc",
                                 "other_admin"])  # fmt: skip
def test_lists_show_what_the_staff_pages_show(users: dict, councils: dict, who: str) -> None:
    user = users[who]
    host = OTHER_HOST if who == "other_admin" else "testserver"
    script = api(user, READ)
    listed = {c["id"] for c in script.get("councils/").json()["items"]}
    assert listed == page_ids(user, "/staff/councils/", "councils", host)
    assert listed  # each of them sees a council
    meetings = {m["id"] for m in script.get("meetings/", year=2026).json()["items"]}
    assert meetings == page_ids(user, "/staff/councils/meetings/?year=2026", "page", host)


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_another_region_or_town_gets_404_and_nothing_written(
    users: dict, councils: dict, who: str
) -> None:
    script = api(users[who])
    own, meeting = councils["own"], councils["own_meeting"]
    minutes = Minutes.objects.create(meeting=meeting)
    action = make_action(meeting)
    before = written()
    for path in [f"councils/{own.pk}/", f"councils/{own.pk}/meetings/",
                 f"meetings/{meeting.pk}/", f"minutes/{minutes.pk}/"]:  # fmt: skip
        assert script.get(path).status_code == 404, path
    writes = [
        ("post", f"councils/{own.pk}/meetings/", {"date": "2026-05-21"}),
        ("put", f"meetings/{meeting.pk}/minutes/", {"version": 1}),
        ("post", f"minutes/{minutes.pk}/approve/", {"approved_as": "sc"}),
        ("post", f"meetings/{meeting.pk}/actions/", {"what": "x"}),
        ("post", f"meetings/{meeting.pk}/agenda/", {"title": "x"}),
        ("post", f"actions/{action.pk}/status/", {"status": "done"}),
        ("post", f"minutes/{minutes.pk}/correct/", {"reason": "x"}),
    ]
    for method, path, body in writes:
        answer = script.send(method, path, body)
        assert answer.status_code == 404, (path, answer.content)
        assert answer.json()["code"] == "not_found"
    assert written() == before
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT


@pytest.mark.parametrize("who", ["member", "institution"])
def test_who_may_not_change_gets_403_and_nothing_written(
    users: dict, councils: dict, who: str
) -> None:
    """The council member reads and may not write; the institution's staff may do neither."""
    script = api(users[who])
    own, meeting = councils["own"], councils["own_meeting"]
    read = script.get(f"meetings/{meeting.pk}/")
    assert read.status_code == (200 if who == "member" else 403)
    if who == "member":
        assert read.json()["can_edit"] is False
    before = written()
    answer = script.post(f"councils/{own.pk}/meetings/", {"date": "2026-05-21"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert script.put(f"meetings/{meeting.pk}/minutes/", {"version": 1}).status_code == 403
    assert script.post(f"meetings/{meeting.pk}/actions/", {"what": "x"}).status_code == 403
    assert script.post(f"meetings/{meeting.pk}/agenda/", {"title": "x"}).status_code == 403
    assert written() == before


def test_a_read_token_may_not_write(users: dict, councils: dict) -> None:
    before = written()
    answer = api(users["sc"], READ).post(
        f"councils/{councils['own'].pk}/meetings/", {"date": "2026-05-21"}
    )
    assert answer.status_code == 403
    assert (
        answer.json()["code"] == "scope"
        and "会議と議事録を登録・変更する" in answer.json()["detail"]
    )
    assert written() == before
    assert api(users["sc"], Scope.NEEDS_READ).get("councils/").status_code == 403


def test_writes_are_audited_naming_the_token(users: dict, councils: dict) -> None:
    made = api(users["sc"]).post(f"councils/{councils['own'].pk}/meetings/", {"date": "2026-05-21"})
    entry = AuditEntry.objects.get(model="councils.Meeting", object_id=str(made.json()["id"]))
    assert entry.user == users["sc"] and "APIトークン「t」" in entry.detail


# ---- bad input ---------------------------------------------------------------------------


def test_bad_input_is_a_japanese_problem_and_writes_nothing(users: dict, councils: dict) -> None:
    sc = api(users["sc"])
    path = f"councils/{councils['own'].pk}/meetings/"
    before = written()
    unknown = sc.post(path, {"date": "2026-05-21", "room": "A"})
    assert (
        unknown.status_code == 422
        and unknown.json()["detail"] == "送られた値に正しくないものがあります。"
    )
    malformed = sc.post(path, '{"date": ')
    assert malformed.status_code == 400
    assert malformed.json()["detail"] == "送られた内容を JSON として読めませんでした。"
    zoned = sc.post(path, {"date": "2026-05-21", "starts_at": "14:00:00Z"})
    assert zoned.json()["errors"][0]["message"].endswith("時差をつけずに書いてください。")
    assert sc.post(path, {"date": 0}).status_code == 422  # not read as 1 January 1970
    as_text = sc.put(f"meetings/{councils['own_meeting'].pk}/minutes/", {"version": "1"})
    assert as_text.status_code == 422 and as_text.json()["errors"][0]["where"].endswith("version")
    wrong = sc.post(path, {"date": "来週"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["where"].endswith("date")
    assert sc.get("meetings/999999999999/").status_code == 422  # no such key on any database
    assert sc.get("meetings/2147483647/").status_code == 404
    past = sc.get("meetings/", page=10**20)  # an offset no database could take
    assert past.status_code == 200 and past.json()["items"] == []
    assert written() == before


# ---- speed ---------------------------------------------------------------------------------


def queries(script: Api, path: str) -> int:
    script.get(path)  # the first use stamps the token
    with CaptureQueriesContext(connection) as captured:
        assert script.get(path).status_code == 200
    return len(captured)


def test_lists_cost_no_query_per_row(users: dict, itabashi: Any) -> None:
    council = make_council("takashimadaira")
    for day in range(3):
        make_meeting(council, date=dt.date(2026, 5, 1 + day))
    ward = api(users["ward"], READ)
    few = [queries(ward, p) for p in ("meetings/", f"councils/{council.pk}/meetings/")]
    for day in range(27):
        make_meeting(council, date=dt.date(2026, 6, 1) + dt.timedelta(days=day))
    many = [queries(ward, p) for p in ("meetings/", f"councils/{council.pk}/meetings/")]
    assert few == many

    few_councils = queries(ward, "councils/")
    codes = ["itabashi", "kumano", "nakajuku", "nakacho", "fujimi", "oyaguchi", "tokiwadai"]
    for code in codes:
        make_council(code)
    assert queries(ward, "councils/") == few_councils
    assert ward.get("councils/").json()["count"] == 1 + len(codes)
