"""The staff API's needs: the list with the staff list's filters, one need with its timeline,
the steps along its path; the access matrix (the same rows as the staff list, 404 for another
region or municipality, 403 for who may see but not change, nothing written on a refusal); a
resident's name only where the need's page shows it; scopes, audit, bad input, no query per
row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.api.models import Scope
from sasaeai.audit.models import AuditEntry
from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs import services
from sasaeai.needs.models import Need, NeedEvent, Status
from sasaeai.needs.tests.builders import make_need
from sasaeai.test import OTHER_HOST

from .test_staff_councils import Api, api

pytestmark = pytest.mark.django_db
READ, WRITE = Scope.NEEDS_READ, Scope.NEEDS_WRITE
NAME, CONTACT = "高島 花子", "03-9999-0000"


@pytest.fixture
def needs(users: dict) -> dict[str, Need]:
    """A need in the own region (its reporter named, with consent), another region, another
    town; and one sent from the residents' form, not yet opened (新着)."""
    return {
        "own": make_need(reported_on=dt.date(2026, 4, 2), reporter_consent=True,
                         reporter_name=NAME, reporter_contact=CONTACT, by=users["sc"]),
        "other": make_need("itabashi", kind="talk", what="話し相手がほしい", by=users["other_sc"]),
        "town": make_need("minami-jhs", what="南の困りごと", by=users["other_admin"]),
        "unseen": make_need(what="ゴミ出しが難しい", reported_on=dt.date(2026, 5, 2)),
    }  # fmt: skip


def written() -> tuple[int, ...]:
    return (NeedEvent.objects.count(),
            Need.objects.exclude(status=Status.NEW).count())  # fmt: skip


# ---- what a script sees ----------------------------------------------------------------


def test_list_and_one_need(users: dict, needs: dict) -> None:
    sc = api(users["sc"], READ)
    listed = sc.get("needs/").json()
    assert [n["what"] for n in listed["items"]] == [
        "ゴミ出しが難しい",
        "近くにスーパーがなく、重い物を運べない。",
    ]
    row = listed["items"][1]
    assert row["number"] == needs["own"].number and row["kind"]["code"] == "shopping"
    assert (row["status"], row["status_label"], row["is_new"]) == ("new", "未対応", False)
    assert listed["items"][0]["is_new"] is True
    assert NAME not in str(listed)  # the list names nobody, as the staff list
    one = sc.get(f"needs/{needs['own'].pk}/").json()
    assert one["reporter"]["name"] == NAME and one["reporter"]["contact"] == CONTACT
    assert one["receipt"] == needs["own"].receipt and one["can_edit"] is True
    assert [(e["action"], e["status"]) for e in one["events"]] == [("created", "new")]
    assert ("discussed", "話し合った") in [
        (t["status"], t["label"]) for t in one["allowed_transitions"]
    ]
    # Reading does not mark a need seen: 新着 stays for the people who open its page.
    assert sc.get(f"needs/{needs['unseen'].pk}/").json()["is_new"] is True


def test_list_filters_as_the_staff_list(users: dict, needs: dict) -> None:
    services.move(needs["unseen"], Status.CANNOT_BE_MET, by=users["sc"], note="今は無理",
                  on=dt.date(2026, 5, 3))  # fmt: skip
    block = api(users["ward"], READ)

    def shown(**query: Any) -> set[int]:
        answer = block.get("needs/", **query)
        assert answer.status_code == 200, answer.content
        return {n["id"] for n in answer.json()["items"]}

    own, other, unseen = needs["own"].pk, needs["other"].pk, needs["unseen"].pk
    assert shown() == {own, other, unseen}
    assert shown(area="itabashi") == {other}
    assert shown(kind="shopping") == {own, unseen}
    assert shown(status="open") == {own, other}
    assert shown(status="cannot_be_met") == {unseen}
    assert shown(start="2026-05-01", end="2026-05-31") == {unseen}
    assert shown(new_only=True) == {unseen}
    assert shown(dated="met", start="2026-05-01") == set()  # cannot_be_met answers nothing
    refused = block.get("needs/", area="minami-jhs")
    assert refused.status_code == 422 and refused.json()["errors"][0]["where"] == "query.area"
    assert block.get("needs/", start="0").status_code == 422  # not read as 1 January 1970
    misspelt = block.get("needs/", stauts="open")
    assert misspelt.json()["errors"] == [
        {"where": "query.stauts", "message": "この項目は使えません。"}
    ]
    backwards = block.get("needs/", start="2026-05-31", end="2026-05-01")
    assert backwards.json()["errors"] == [
        {"where": "query.end", "message": "終わりの日は始まりの日より後にしてください。"}
    ]


def test_steps_along_the_path_and_reopening(users: dict, needs: dict) -> None:
    need = needs["unseen"]
    meeting = make_meeting(make_council(), date=dt.date(2026, 5, 10))
    salon = make_activity("いきいきサロン")
    sc = api(users["sc"])
    url = f"needs/{need.pk}/"
    step = {"to": "discussed", "on": "2026-05-10", "meeting": meeting.pk, "note": "話し合った"}
    discussed = sc.post(url + "status/", step)
    assert discussed.status_code == 200, discussed.content
    answer = discussed.json()
    assert answer["status"] == "discussed" and answer["meeting"]["id"] == meeting.pk
    assert answer["is_new"] is False  # a step taken is a need seen
    missing = sc.post(url + "status/", {"to": "met_by_activity"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"where": "body.payload.activity", "message": "つないだ活動を選んでください。"}
    ]
    met = sc.post(url + "status/", {"to": "met_by_activity", "activity": salon.pk}).json()
    assert met["activity"] == {"id": salon.pk, "name": "いきいきサロン"}
    assert met["allowed_transitions"] == []
    closed = sc.post(url + "status/", step)
    assert closed.status_code == 409 and closed.json()["code"] == "closed"
    assert sc.post(url + "reopen/", {"note": ""}).status_code == 422
    reopened = sc.post(url + "reopen/", {"note": "休止した"}).json()
    assert reopened["status"] == "discussed"
    assert [(e["status"], e["note"]) for e in reopened["events"]][-1] == ("discussed", "休止した")
    assert [e.status for e in need.events.all()] == [
        "new", "discussed", "met_by_activity", "discussed",
    ]  # fmt: skip
    again = sc.post(url + "reopen/", {"note": "もう一度"})
    assert again.status_code == 409 and again.json()["code"] == "open"


def test_an_activity_of_another_region_cannot_be_linked(users: dict, needs: dict) -> None:
    elsewhere = make_activity("成増のサロン", "narimasu")
    before = written()
    answer = api(users["sc"]).post(
        f"needs/{needs['own'].pk}/status/", {"to": "met_by_activity", "activity": elsewhere.pk}
    )
    assert (
        answer.status_code == 422 and answer.json()["errors"][0]["where"] == "body.payload.activity"
    )
    assert written() == before


# ---- access and personal data ------------------------------------------------------------


ROLES = ["admin", "ward", "block", "sc", "member", "other_sc", "other_admin"]


@pytest.mark.parametrize("who", ROLES)
def test_the_list_shows_what_the_staff_list_shows(users: dict, needs: dict, who: str) -> None:
    user = users[who]
    host = OTHER_HOST if who == "other_admin" else "testserver"
    listed = {n["id"] for n in api(user, READ).get("needs/").json()["items"]}
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    page = client.get("/staff/needs/")
    assert listed == {need.pk for need in page.context["page"]} and listed


@pytest.mark.parametrize("who", ROLES)
def test_a_reporters_name_only_where_the_page_shows_it(users: dict, needs: dict, who: str) -> None:
    own = needs["own"]
    client = Client(HTTP_HOST=OTHER_HOST if who == "other_admin" else "testserver")
    client.force_login(users[who])
    page = client.get(f"/staff/needs/{own.pk}/")
    answer = api(users[who], READ).get(f"needs/{own.pk}/")
    assert answer.status_code == page.status_code
    shown = json.dumps(answer.json(), ensure_ascii=False)
    for secret in (NAME, CONTACT, own.receipt):
        assert (secret in shown) == (secret in page.content.decode()), secret
    if who == "member":  # sees that the reporter is named, not who
        assert answer.json()["reporter"] == {
            "consent": True, "name": None, "contact": None, "consent_recorded_at": None,
        }  # fmt: skip


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_another_region_or_town_gets_404_and_nothing_written(
    users: dict, needs: dict, who: str
) -> None:
    script = api(users[who])
    own, closed = needs["own"], make_need(status=Status.CANNOT_BE_MET)
    before = written()
    assert script.get(f"needs/{own.pk}/").status_code == 404
    assert script.post(f"needs/{own.pk}/status/", {"to": "discussed"}).status_code == 404
    assert script.post(f"needs/{closed.pk}/reopen/", {"note": "x"}).status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["member", "institution"])
def test_who_may_not_change_gets_403_and_nothing_written(
    users: dict, needs: dict, who: str
) -> None:
    script = api(users[who])
    own = needs["own"]
    assert script.get(f"needs/{own.pk}/").status_code == (200 if who == "member" else 403)
    before = written()
    answer = script.post(f"needs/{own.pk}/status/", {"to": "discussed"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert written() == before


def test_a_read_token_may_not_change_a_need(users: dict, needs: dict) -> None:
    before = written()
    answer = api(users["sc"], READ).post(f"needs/{needs['own'].pk}/status/", {"to": "discussed"})
    assert answer.status_code == 403 and answer.json()["code"] == "scope"
    assert written() == before
    assert api(users["sc"], Scope.COUNCILS_READ).get("needs/").status_code == 403


def test_steps_are_audited_naming_the_token(users: dict, needs: dict) -> None:
    api(users["sc"]).post(f"needs/{needs['own'].pk}/status/", {"to": "discussed"})
    entry = AuditEntry.objects.filter(model="needs.Need", object_id=str(needs["own"].pk)).first()
    assert entry is not None and entry.changed_fields == ["status"]
    assert entry.user == users["sc"] and "APIトークン「t」" in entry.detail


def test_bad_input_is_a_japanese_problem_and_writes_nothing(users: dict, needs: dict) -> None:
    sc = api(users["sc"])
    path = f"needs/{needs['own'].pk}/status/"
    before = written()
    unknown = sc.post(path, {"to": "discussed", "status": "x"})
    assert (
        unknown.status_code == 422
        and unknown.json()["detail"] == "送られた値に正しくないものがあります。"
    )
    malformed = sc.post(path, "{to: discussed")
    assert malformed.status_code == 400 and "JSON として読めません" in malformed.json()["detail"]
    wrong = sc.post(path, {"to": "discussed", "meeting": "第1回"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["where"].endswith("meeting")
    nowhere = sc.post(path, {"to": "done"})
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["where"] == "body.payload.to"
    future = sc.post(path, {"to": "discussed", "on": "2099-01-01"})
    assert future.json()["errors"][0]["message"] == "未来の日付は入れられません。"
    assert written() == before


def queries(script: Api, path: str) -> int:
    script.get(path)  # the first use stamps the token
    with CaptureQueriesContext(connection) as captured:
        assert script.get(path).status_code == 200
    return len(captured)


def test_the_list_costs_no_query_per_row(users: dict, itabashi: Any) -> None:
    for _i in range(3):
        make_need()
    ward = api(users["ward"], READ)
    few = queries(ward, "needs/")
    for number in range(27):
        make_need("narimasu" if number % 2 else "takashimadaira", kind="talk")
    assert queries(ward, "needs/") == few
    assert ward.get("needs/").json()["count"] == 30
