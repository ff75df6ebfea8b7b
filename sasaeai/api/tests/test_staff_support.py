"""The staff API's support requests (/api/staff/support-requests/): who sees which request,
who asks (the council side), who answers (the ward side), as on the support pages; writes
audited with the token; refusals write nothing; the list without a query per row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.audit.models import Action, AuditEntry
from sasaeai.support.models import RequestEvent, RequestMessage, SupportRequest
from sasaeai.support.tests.builders import council_of, make_request

from .test_staff_events import Api, _no_rate_left_over, problem  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
READ, WRITE = "support:read", "support:write"
BOTH = (READ, WRITE)


@pytest.fixture
def api(client: Client, users: dict[str, Any]) -> Any:
    calls = Api(client, users)

    def call(who: str, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        kw.setdefault("scopes", BOTH)
        return calls(who, method, path, body, **kw)

    call.users = users  # type: ignore[attr-defined]
    return call


@pytest.fixture
def requests(users: dict[str, Any]) -> dict[str, SupportRequest]:
    return {
        "mine": make_request(title="交流会の受付を手伝ってほしい", by=users["sc"]),
        "theirs": make_request(council_of("itabashi"), title="板橋の講師を探している"),
        "other_town": make_request(council_of("minami-jhs"), title="みどり町の依頼"),
    }


def titles(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


def written() -> tuple[Any, ...]:
    return (
        SupportRequest.objects.count(),
        RequestEvent.objects.count(),
        RequestMessage.objects.count(),
        *SupportRequest.objects.order_by("pk").values_list("status", flat=True),
    )


# Reading -------------------------------------------------------------------------------------


def test_each_role_lists_the_requests_of_the_areas_they_see(api: Any, requests: dict) -> None:
    ours = {"交流会の受付を手伝ってほしい"}
    for who in ("sc", "member", "block"):
        assert titles(api(who, "get", "/support-requests/")) == ours, who
    both = ours | {"板橋の講師を探している"}
    assert titles(api("ward", "get", "/support-requests/")) == both
    assert titles(api("admin", "get", "/support-requests/")) == both
    assert titles(api("other_sc", "get", "/support-requests/")) == {"板橋の講師を探している"}
    assert titles(api("other_admin", "get", "/support-requests/")) == {"みどり町の依頼"}
    assert problem(api("institution", "get", "/support-requests/"), 403)["code"] == "forbidden"


def test_the_list_filters_as_the_page_does(api: Any, requests: dict, users: dict) -> None:
    from sasaeai.support import services

    mine = requests["mine"]
    services.step(mine, "accepted", by=users["block"])
    services.step(mine, "done", by=users["block"])
    assert titles(api("ward", "get", "/support-requests/")) == {"板橋の講師を探している"}
    done = titles(api("ward", "get", "/support-requests/?status=done"))
    assert done == {"交流会の受付を手伝ってほしい"}
    assert len(titles(api("ward", "get", "/support-requests/?status=all"))) == 2
    area = titles(api("ward", "get", "/support-requests/?status=all&area=blk-itabashi"))
    assert area == {"板橋の講師を探している"}
    assert titles(api("ward", "get", "/support-requests/?kind=learn")) == set()
    assert len(titles(api("ward", "get", "/support-requests/?status=all&age=7"))) == 0
    SupportRequest.objects.update(opened_at=timezone.now() - dt.timedelta(days=8))
    assert len(titles(api("ward", "get", "/support-requests/?status=all&age=7"))) == 2
    assert problem(api("ward", "get", "/support-requests/?age=8"), 422)["errors"][0]["where"] == (
        "query.age"
    )
    wrong = problem(api("ward", "get", "/support-requests/?year=1999"), 422)
    assert wrong["errors"] == [{"where": "query.year", "message": "年度は一覧から選んでください。"}]
    page = api("ward", "get", "/support-requests/?status=all&per_page=1").json()
    assert (page["count"], page["per_page"], len(page["items"])) == (2, 1, 1)


def test_one_request_reads_as_its_page(api: Any, requests: dict) -> None:
    req = requests["mine"]
    body = api("block", "get", f"/support-requests/{req.pk}/").json()
    assert body["number"] == f"S-{req.pk:05d}" and body["status"] == "new"
    assert body["status_label"] == "受付待ち" and body["kind"]["code"] == "contribute"
    assert body["topic"]["name"] == "企画等の開催時のマンパワーの提供"
    assert (
        body["council"]["name"] == "支え合い会議高島平" and body["area"]["code"] == "takashimadaira"
    )
    assert [s["label"] for s in body["steps"]] == ["依頼を受け付けました"]
    assert body["opened_by"] == "sc@example.jp"
    assert body["sides"] == ["ward"] and body["next"] == ["accepted", "declined"]
    seen_by_sc = api("sc", "get", f"/support-requests/{req.pk}/").json()
    assert seen_by_sc["sides"] == ["council"] and seen_by_sc["next"] == []
    for who in ("other_sc", "other_admin"):
        assert problem(api(who, "get", f"/support-requests/{req.pk}/"), 404)["code"] == "not_found"
    assert problem(api("institution", "get", f"/support-requests/{req.pk}/"), 403)
    assert (
        problem(api("block", "get", f"/support-requests/{req.pk}/", scopes=("events:read",)), 403)[
            "code"
        ]
        == "scope"
    )


# Asking ----------------------------------------------------------------------------------------


def ask(council: Any, **changes: Any) -> dict[str, Any]:
    return {
        "council": council.pk,
        "topic": "hands",
        "title": "10月の交流会で受付を手伝ってほしい",
        "detail": "2人ほど。",
        "needed_by": str(timezone.localdate() + dt.timedelta(days=30)),
        **changes,
    }


def test_the_council_side_asks_and_it_is_audited_with_the_token(api: Any, users: dict) -> None:
    council = council_of("takashimadaira")
    for who in ("sc", "member"):
        response = api(who, "post", "/support-requests/", ask(council))
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "new" and body["council"]["id"] == council.pk
        assert body["kind"]["code"] == "contribute" and body["opened_by"] == f"{who}@example.jp"
        assert body["steps"][0]["by"]
    entry = AuditEntry.objects.filter(model__icontains="supportrequest").order_by("-pk").first()
    assert entry is not None and entry.action == Action.CREATE
    assert "APIトークン「集計スクリプト」" in entry.detail


def test_asking_is_refused_with_nothing_written(api: Any, requests: dict) -> None:
    council, theirs = council_of("takashimadaira"), council_of("itabashi")
    before = written()
    for who in ("block", "ward", "admin", "institution"):  # not the council side: the page's 403
        assert problem(api(who, "post", "/support-requests/", ask(council)), 403), who
    assert problem(api("sc", "post", "/support-requests/", ask(council), scopes=(READ,)), 403)
    wrong = problem(api("sc", "post", "/support-requests/", ask(theirs)), 422)
    assert [e["where"] for e in wrong["errors"]] == ["body.payload.council"]
    past = problem(
        api("sc", "post", "/support-requests/", ask(council, needed_by="2020-01-01")), 422
    )
    assert past["errors"][0]["message"] == "今日より前の日付は選べません。"
    assert problem(api("sc", "post", "/support-requests/", ask(council, colour="red")), 422)
    assert problem(api("sc", "post", "/support-requests/", raw="{council:"), 400)["detail"] == (
        "送られた内容を JSON として読めませんでした。"
    )
    for wrong_type in (
        {"council": "高島平"},
        {"needed_by": 1767225600},
        {"topic": "cake"},
        {"title": ["a"]},
    ):
        response = api("sc", "post", "/support-requests/", {**ask(council), **wrong_type})
        assert problem(response, 422)["detail"] == "送られた値に正しくないものがあります。"
    assert written() == before


# Answering and writing -----------------------------------------------------------------------


def test_the_ward_side_accepts_finishes_and_declines(api: Any, requests: dict) -> None:
    req = requests["mine"]
    path = f"/support-requests/{req.pk}/status/"
    early = problem(api("block", "post", path, {"to": "done"}), 422)
    assert early["detail"] == "受付待ちの依頼は、まず引き受けてから完了にしてください。"
    body = api("block", "post", path, {"to": "accepted", "note": "社協から2人伺います。"}).json()
    assert body["status"] == "accepted" and body["accepted_by"] == "block@example.jp"
    assert body["next"] == ["done", "declined"]
    assert body["steps"][-1]["note"] == "社協から2人伺います。"
    reason = problem(api("ward", "post", path, {"to": "declined"}), 422)
    assert reason["errors"][0]["message"] == "お断りするときは、理由を書いてください。"
    assert api("ward", "post", path, {"to": "done"}).json()["status"] == "done"
    entry = AuditEntry.objects.filter(model__icontains="supportrequest").order_by("-pk").first()
    assert entry is not None and entry.action == Action.UPDATE and "APIトークン" in entry.detail
    declined = requests["theirs"]
    body = api(
        "ward",
        "post",
        f"/support-requests/{declined.pk}/status/",
        {"to": "declined", "note": "その日は人が出せません。"},
    ).json()
    assert body["status"] == "declined" and body["decline_reason"] == "その日は人が出せません。"


def test_only_the_ward_side_answers(api: Any, requests: dict) -> None:
    req, before = requests["mine"], written()
    path = f"/support-requests/{req.pk}/status/"
    for who in ("sc", "member", "institution"):  # the council side, or nobody here
        assert problem(api(who, "post", path, {"to": "accepted"}), 403), who
    for who in ("other_sc", "other_admin"):
        assert problem(api(who, "post", path, {"to": "accepted"}), 404), who
    assert problem(api("block", "post", path, {"to": "accepted"}, scopes=(READ,)), 403)
    assert problem(api("block", "post", path, {"to": "reopened"}), 422)
    assert written() == before


def test_both_sides_write_messages(api: Any, requests: dict) -> None:
    req = requests["mine"]
    path = f"/support-requests/{req.pk}/messages/"
    asked = api("sc", "post", path, {"body": "当日の集合時刻を教えてください。"})
    assert asked.status_code == 201 and asked.json()["side"] == "council"
    answered = api("block", "post", path, {"body": "9時半に集まります。"}).json()
    assert answered["side"] == "ward" and answered["author"] == "block@example.jp"
    thread = api("member", "get", f"/support-requests/{req.pk}/").json()["messages"]
    assert [m["body"] for m in thread] == [
        "当日の集合時刻を教えてください。",
        "9時半に集まります。",
    ]
    assert (
        "APIトークン"
        in (
            AuditEntry.objects.filter(model__icontains="requestmessage").order_by("-pk").first()
            or AuditEntry()
        ).detail
    )
    before = written()
    empty = problem(api("sc", "post", path, {"body": " "}), 422)
    assert empty["errors"][0]["where"] == "body.payload.body"
    assert problem(api("institution", "post", path, {"body": "x"}), 403)
    assert problem(api("other_sc", "post", path, {"body": "x"}), 404)
    assert problem(api("sc", "post", path, {"body": "x"}, scopes=(READ,)), 403)
    assert written() == before


# No query per row ----------------------------------------------------------------------------


def test_the_list_costs_the_same_for_3_rows_as_for_30(api: Any, users: dict) -> None:
    def queries() -> int:
        api("ward", "get", "/support-requests/")  # the token's first use is stamped
        with CaptureQueriesContext(connection) as captured:
            assert api("ward", "get", "/support-requests/").status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        make_request(title=f"依頼{n}", by=users["sc"])
    few = queries()
    for n in range(27):
        make_request(council_of("itabashi" if n % 2 else "takashimadaira"), title=f"依頼{n}")
    assert queries() == few
    assert api("ward", "get", "/support-requests/").json()["count"] == 30
