"""The staff API's events (/api/staff/events/, /api/staff/local-events/): what each role sees
and may change, as on the events pages; writes audited with the token; bad input refused in
Japanese with nothing written; lists without a query per row."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.api import tokens
from sasaeai.api.models import Token
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.events.models import Event, LocalEvent, Registration, Signup
from sasaeai.events.tests.builders import make_event, make_local_event, make_signup
from sasaeai.test import OTHER_HOST, area

pytestmark = pytest.mark.django_db
READ, WRITE = "events:read", "events:write"
SOON = timezone.now() + dt.timedelta(days=20)


class Api:
    """Calls of the staff API as one of the role users, each with a token of its own."""

    def __init__(self, client: Client, users: dict[str, Any]) -> None:
        self.client, self.users = client, users
        self.secrets: dict[tuple[str, tuple[str, ...]], str] = {}

    def token(self, who: str, scopes: tuple[str, ...]) -> str:
        if (who, scopes) not in self.secrets:
            user = self.users[who]
            if tokens.may_make(user):
                expires = timezone.localdate() + dt.timedelta(days=30)
                secret = tokens.make(user, "集計スクリプト", expires, list(scopes)).secret
            else:  # a council member signs in without two steps: made here as the page would
                secret = tokens.PREFIX + secrets.token_urlsafe(32)
                Token.objects.create(
                    user=user,
                    municipality=user.municipality or area("131199"),
                    name="集計スクリプト",
                    prefix=secret[:14],
                    digest=tokens.digest(secret),
                    scopes=list(scopes),
                    expires_at=timezone.now() + dt.timedelta(days=30),
                )
            self.secrets[(who, scopes)] = secret
        return self.secrets[(who, scopes)]

    def __call__(
        self,
        who: str,
        method: str,
        path: str,
        body: Any = None,
        *,
        scopes: tuple[str, ...] = (READ, WRITE),
        raw: str | None = None,
    ) -> Any:
        host = OTHER_HOST if who == "other_admin" else "testserver"
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.generic(
            method.upper(),
            f"/api/staff{path}",
            data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token(who, scopes)}",
            HTTP_HOST=host,
        )


@pytest.fixture(autouse=True)
def _no_rate_left_over() -> None:
    cache.clear()  # the per-token rate limit counts in the cache; token ids come again


@pytest.fixture
def api(client: Client, users: dict[str, Any]) -> Api:
    return Api(client, users)


def titles(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    found: dict[str, Any] = response.json()
    return found


def counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Registration.objects.count(),
        LocalEvent.objects.count(),
        Signup.objects.count(),
    )


def audited(model: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(model__icontains=model).order_by("-pk").first()
    assert entry is not None
    return entry


@pytest.fixture
def events(itabashi: Any) -> dict[str, Event]:
    return {
        "all": make_event("131199", title="全体研修"),
        "block": make_event("blk-akatsuka", "block-liaison", title="赤塚ブロック連絡会"),
        "region": make_event("takashimadaira", title="高島平の勉強会"),
        "other_block": make_event("blk-itabashi", "block-liaison", title="板橋ブロック連絡会"),
        "draft": make_event("131199", title="下書きの研修", published=False),
        "other_town": make_event("999991", title="みどり町の研修"),
    }


# Trainings and liaison meetings: reading ---------------------------------------------------


def test_each_role_lists_what_the_events_pages_show(api: Api, events: dict) -> None:
    mine = {"全体研修", "赤塚ブロック連絡会", "高島平の勉強会"}
    assert titles(api("sc", "get", "/events/")) == mine
    # The block SC edits their block and its regions; the municipality's draft is not theirs.
    assert titles(api("block", "get", "/events/")) == mine
    everything = mine | {"板橋ブロック連絡会", "下書きの研修"}
    assert titles(api("ward", "get", "/events/")) == everything
    assert titles(api("admin", "get", "/events/")) == everything
    assert titles(api("other_sc", "get", "/events/")) == {"全体研修", "板橋ブロック連絡会"}
    assert titles(api("other_admin", "get", "/events/")) == {"みどり町の研修"}
    for who in ("member", "institution"):  # the list page refuses them too
        assert problem(api(who, "get", "/events/"), 403)["code"] == "forbidden"


def test_list_filters(api: Api, events: dict) -> None:
    assert titles(api("ward", "get", "/events/?state=draft")) == {"下書きの研修"}
    block = titles(api("ward", "get", "/events/?area=blk-akatsuka"))
    assert block == {"赤塚ブロック連絡会", "高島平の勉強会"}
    assert titles(api("ward", "get", "/events/?kind=block-liaison")) == {
        "赤塚ブロック連絡会",
        "板橋ブロック連絡会",
    }
    assert titles(api("ward", "get", "/events/?when=past")) == set()
    page = api("ward", "get", "/events/?per_page=2&page=2").json()
    assert (page["count"], page["page"], page["per_page"], len(page["items"])) == (5, 2, 2, 2)
    assert problem(api("ward", "get", "/events/?state=gone"), 422)["code"] == "invalid"
    misspelt = problem(api("ward", "get", "/events/?stat=draft"), 422)
    assert misspelt["errors"] == [{"where": "query.stat", "message": "この項目は使えません。"}]


def test_one_event_reads_as_its_page(api: Api, events: dict) -> None:
    event = events["all"]
    Registration.objects.create(event=event, user=api.users["sc"], status="registered")
    body = api("sc", "get", f"/events/{event.pk}/").json()
    assert body["title"] == "全体研修" and body["state"] == "published"
    assert body["kind"] == {"code": "training", "name": "第2層SC等研修会"}
    assert body["area"]["code"] == "131199" and body["is_open"] is True
    assert body["registered"] == 1 and body["waiting"] == 0 and body["mine"] == "registered"
    assert body["starts_at"].endswith("+09:00") and "〜" in body["when"]
    assert body["url"].endswith(f"/staff/events/{event.pk}/")


def test_an_event_the_person_may_not_see_is_not_found(api: Api, events: dict) -> None:
    for who, name in [
        ("sc", "other_block"),
        ("sc", "draft"),
        ("other_sc", "region"),
        ("other_admin", "all"),
        ("ward", "other_town"),
        ("member", "all"),
    ]:
        response = api(who, "get", f"/events/{events[name].pk}/")
        assert problem(response, 404)["code"] == "not_found", (who, name)
    assert api("sc", "get", "/events/99999999999999999999/").status_code == 404


def test_kinds_are_the_forms_choices(api: Api, events: dict) -> None:
    kinds = api("ward", "get", "/event-kinds/").json()
    assert kinds[0] == {
        "code": "training",
        "name": "第2層SC等研修会",
        "per_block": False,
        "outside": False,
    }
    assert problem(api("member", "get", "/event-kinds/"), 403)


# Trainings and liaison meetings: writing ---------------------------------------------------


NEW = {
    "title": "支え合い入門研修",
    "kind": "training",
    "area": "blk-akatsuka",
    "starts_at": SOON.isoformat(),
    "ends_at": (SOON + dt.timedelta(hours=2)).isoformat(),
    "venue": "高島平地域センター",
    "capacity": 30,
    "is_public": False,
}


def test_staff_create_a_draft_and_it_is_audited_with_the_token(api: Api, itabashi: Any) -> None:
    response = api("block", "post", "/events/", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["title"] == "支え合い入門研修"
    assert body["area"] == {"code": "blk-akatsuka", "name": "赤塚ブロック"}
    assert body["organiser"] == "板橋区・板橋区社会福祉協議会" and body["capacity"] == 30
    event = Event.objects.get(pk=body["id"])
    assert event.created_by == api.users["block"] and event.published_at is None
    entry = audited("event")
    assert entry.action == Action.CREATE and "APIトークン「集計スクリプト」" in entry.detail


def test_creating_is_refused_with_nothing_written(api: Api, itabashi: Any) -> None:
    before = counts()
    # An area the block SC does not edit: the form's choice, in Japanese.
    errors = problem(api("block", "post", "/events/", {**NEW, "area": "blk-itabashi"}), 422)
    assert [e["where"] for e in errors["errors"]] == ["body.payload.area"]
    late = {**NEW, "ends_at": NEW["starts_at"]}
    errors = problem(api("ward", "post", "/events/", late), 422)["errors"]
    assert errors == [
        {"where": "body.payload.ends_at", "message": "終了日時は開始日時より後にしてください。"}
    ]
    missing = problem(api("ward", "post", "/events/", {"kind": "training"}), 422)["errors"]
    assert {"where": "body.payload.title", "message": "名称を入れてください。"} in missing
    assert problem(api("member", "post", "/events/", NEW), 403)["code"] == "forbidden"
    assert problem(api("institution", "post", "/events/", NEW), 403)
    read_only = api("ward", "post", "/events/", NEW, scopes=(READ,))
    assert problem(read_only, 403)["code"] == "scope"
    assert counts() == before


def test_bad_input_is_refused_in_japanese(api: Api, itabashi: Any) -> None:
    before = counts()
    unknown = problem(api("ward", "post", "/events/", {**NEW, "colour": "red"}), 422)
    assert unknown["detail"] == "送られた値に正しくないものがあります。"
    assert "colour" in unknown["errors"][0]["where"]
    malformed = problem(api("ward", "post", "/events/", raw="{title: 研修"), 400)
    assert malformed["detail"] == "送られた内容を JSON として読めませんでした。"
    wrongs: list[dict[str, Any]] = [
        {"capacity": "many"},
        {"title": 5},
        {"starts_at": 1767225600},
        {"area": "../x"},
        {"is_public": []},
        {"is_public": "true"},
        {"capacity": "5"},
        {"starts_at": "2026-12-03"},
        {"starts_at": "2026-12-03T14:00:00+15:59:59"},
    ]
    for wrong in wrongs:
        response = api("ward", "post", "/events/", {**NEW, **wrong})
        assert problem(response, 422)["detail"] == "送られた値に正しくないものがあります。"
    assert counts() == before


def test_staff_change_an_event_partly(api: Api, events: dict) -> None:
    event = events["block"]
    response = api(
        "block", "patch", f"/events/{event.pk}/", {"title": "赤塚 12月の連絡会", "capacity": 1}
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["title"] == "赤塚 12月の連絡会" and body["capacity"] == 1
    assert body["venue"] == "板橋区役所 大会議室"  # what was not sent stays
    event.refresh_from_db()
    assert event.sequence == 1  # a published event: calendars take the change
    assert "APIトークン" in audited("event").detail


def test_changing_is_refused_as_on_the_pages(api: Api, events: dict) -> None:
    before = Event.objects.values_list("pk", "title", "sequence").order_by("pk")
    change = {"title": "書きかえ"}
    assert problem(api("sc", "patch", f"/events/{events['all'].pk}/", change), 403)
    assert problem(api("member", "patch", f"/events/{events['all'].pk}/", change), 403)
    assert problem(api("block", "patch", f"/events/{events['other_block'].pk}/", change), 404)
    assert problem(api("other_admin", "patch", f"/events/{events['all'].pk}/", change), 404)
    assert problem(
        api("ward", "patch", f"/events/{events['all'].pk}/", change, scopes=(READ,)), 403
    )
    errors = problem(api("ward", "patch", f"/events/{events['all'].pk}/", {"title": None}), 422)
    assert errors["errors"][0]["message"] == "名称を入れてください。"
    assert list(Event.objects.values_list("pk", "title", "sequence").order_by("pk")) == list(before)


def test_publish_call_off_and_delete_a_draft(api: Api, events: dict) -> None:
    draft = events["draft"]
    body = api("ward", "post", f"/events/{draft.pk}/publish/").json()
    assert body["state"] == "published" and body["published_at"]
    assert (
        problem(api("ward", "post", f"/events/{draft.pk}/call-off/", {"reason": " "}), 422)[
            "errors"
        ][0]["message"]
        == "中止の理由を入れてください。"
    )
    body = api("ward", "post", f"/events/{draft.pk}/call-off/", {"reason": "台風のため"}).json()
    assert body["state"] == "cancelled" and body["cancel_reason"] == "台風のため"
    again = problem(api("ward", "post", f"/events/{draft.pk}/call-off/", {"reason": "x"}), 422)
    assert again["detail"] == "この催しはもう中止になっています。"
    edit = problem(api("ward", "patch", f"/events/{draft.pk}/", {"title": "x"}), 422)
    assert edit["detail"] == "中止した催しは編集できません。"
    published = problem(api("ward", "delete", f"/events/{events['all'].pk}/"), 422)
    assert published["detail"] == "公開した催しは削除できません。中止にしてください。"
    new = api("ward", "post", "/events/", NEW).json()
    assert api("ward", "delete", f"/events/{new['id']}/").status_code == 204
    assert not Event.objects.filter(pk=new["id"]).exists()
    entry = audited("event")
    assert entry.action == Action.DELETE and "APIトークン" in entry.detail


def test_publishing_and_calling_off_need_the_right_to_publish(api: Api, events: dict) -> None:
    draft = events["draft"]
    assert problem(api("sc", "post", f"/events/{events['all'].pk}/call-off/", {"reason": "x"}), 403)
    assert problem(api("member", "post", f"/events/{draft.pk}/publish/"), 403)
    assert problem(api("block", "post", f"/events/{draft.pk}/publish/"), 404)
    assert problem(api("other_admin", "post", f"/events/{draft.pk}/publish/"), 404)
    assert problem(api("sc", "delete", f"/events/{events['region'].pk}/"), 422)
    draft.refresh_from_db()
    assert draft.published_at is None and Event.objects.count() == len(events)


# Registrations and attendance ---------------------------------------------------------------


def test_an_sc_registers_and_cancels_and_the_next_moves_up(api: Api, events: dict) -> None:
    event = events["all"]
    Event.objects.filter(pk=event.pk).update(capacity=1)
    first = api("sc", "post", f"/events/{event.pk}/registration/").json()
    assert first["status"] == "registered" and first["position"] is None
    second = api("other_sc", "post", f"/events/{event.pk}/registration/").json()
    assert second["status"] == "waiting" and second["position"] == 1
    listed = api("ward", "get", f"/events/{event.pk}/registrations/").json()
    assert [(r["name"], r["status"]) for r in listed["items"]] == [
        ("sc@example.jp", "registered"),
        ("other_sc@example.jp", "waiting"),
    ]
    cancelled = api("sc", "delete", f"/events/{event.pk}/registration/").json()
    assert cancelled["status"] == "cancelled"
    assert Registration.objects.get(pk=second["id"]).status == "registered"
    assert "APIトークン" in audited("registration").detail


def test_registrations_are_for_those_who_edit_the_event(api: Api, events: dict) -> None:
    event = events["all"]
    before = counts()
    assert problem(api("sc", "get", f"/events/{event.pk}/registrations/"), 403)
    assert problem(api("other_admin", "get", f"/events/{event.pk}/registrations/"), 404)
    # Not meant for them (another block's meeting) or not seen at all.
    assert problem(api("sc", "post", f"/events/{events['other_block'].pk}/registration/"), 404)
    not_for = problem(api("ward", "post", f"/events/{event.pk}/registration/"), 422)
    assert not_for["detail"] == "この催しの対象ではありません。"
    assert problem(api("sc", "post", f"/events/{event.pk}/registration/", scopes=(READ,)), 403)
    assert problem(api("sc", "delete", f"/events/{event.pk}/registration/"), 422)
    assert counts() == before


def test_attendance_is_recorded_once_the_event_has_begun(api: Api, events: dict) -> None:
    event = events["all"]
    came = api("sc", "post", f"/events/{event.pk}/registration/").json()
    api("other_sc", "post", f"/events/{event.pk}/registration/")
    early = problem(
        api("ward", "put", f"/events/{event.pk}/attendance/", {"present": [came["id"]]}), 422
    )
    assert early["detail"] == "開催前のため、出席はまだ記録できません。"
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    assert problem(api("sc", "put", f"/events/{event.pk}/attendance/", {"present": []}), 403)
    body = api("ward", "put", f"/events/{event.pk}/attendance/", {"present": [came["id"]]}).json()
    assert [(r["name"], r["attended"]) for r in body["items"]] == [
        ("sc@example.jp", True),
        ("other_sc@example.jp", False),
    ]


# Local events for residents ------------------------------------------------------------------


@pytest.fixture
def local(itabashi: Any) -> dict[str, LocalEvent]:
    return {
        "mine": make_local_event("takashimadaira", title="いきいき体操 体験会", capacity=3),
        "theirs": make_local_event("itabashi", title="板橋の交流会"),
        "draft": make_local_event("takashimadaira", title="下書きの催し", published=False),
        "other_town": make_local_event("minami-jhs", title="みどり町の体験会"),
    }


def test_local_events_are_listed_for_those_who_edit_their_region(api: Api, local: dict) -> None:
    assert titles(api("sc", "get", "/local-events/")) == {"いきいき体操 体験会", "下書きの催し"}
    assert titles(api("block", "get", "/local-events/")) == {"いきいき体操 体験会", "下書きの催し"}
    assert len(titles(api("ward", "get", "/local-events/"))) == 3
    assert titles(api("other_admin", "get", "/local-events/")) == {"みどり町の体験会"}
    assert problem(api("member", "get", "/local-events/"), 403)
    assert problem(api("member", "get", f"/local-events/{local['mine'].pk}/"), 403)
    assert problem(api("sc", "get", f"/local-events/{local['theirs'].pk}/"), 404)
    assert problem(api("other_admin", "get", f"/local-events/{local['mine'].pk}/"), 404)
    make_signup(local["mine"], people=2)
    body = api("sc", "get", f"/local-events/{local['mine'].pk}/").json()
    assert body["registered"] == 2 and body["kind"] == {"code": "taiken", "name": "体験会"}
    assert body["public_url"].endswith(f"/events/local/{local['mine'].pk}/")


def test_sign_ups_show_what_the_page_shows_and_reading_is_audited(api: Api, local: dict) -> None:
    event = local["mine"]
    make_signup(event, name="青木 花子", people=3)
    make_signup(event, name="井上 一郎", email="ichiro@example.jp", phone="")
    gone = make_signup(event, name="取消 太郎")
    api("sc", "post", f"/local-signups/{gone.pk}/cancel/")
    body = api("sc", "get", f"/local-events/{event.pk}/signups/").json()
    assert body["count"] == 2 and body["purged"] is False
    assert body["items"][0] == {
        "id": body["items"][0]["id"],
        "receipt": f"{event.pk}-001",
        "name": "青木 花子",
        "phone": "03-1111-2222",
        "email": "",
        "people": 3,
        "status": "registered",
        "position": None,
        "moved_up": False,
    }
    assert body["items"][1]["status"] == "waiting" and body["items"][1]["position"] == 1
    entry = AuditEntry.objects.filter(action=Action.READ).order_by("-pk").first()
    assert entry is not None and entry.detail.startswith("local event sign-ups")
    assert "APIトークン" in entry.detail
    assert problem(api("member", "get", f"/local-events/{event.pk}/signups/"), 403)
    assert problem(api("other_sc", "get", f"/local-events/{event.pk}/signups/"), 404)


def test_a_coordinator_takes_and_cancels_sign_ups(api: Api, local: dict) -> None:
    event = local["mine"]
    taken = api(
        "sc",
        "post",
        f"/local-events/{event.pk}/signups/",
        {"name": "山田 花子", "phone": "０３－１２３４－５６７８", "people": 3},
    )
    assert taken.status_code == 201, taken.content
    assert taken.json()["phone"] == "03-1234-5678" and taken.json()["status"] == "registered"
    waiter = api(
        "sc",
        "post",
        f"/local-events/{event.pk}/signups/",
        {"name": "佐藤 次郎", "email": "jiro@example.jp"},
    ).json()
    assert waiter["status"] == "waiting" and waiter["position"] == 1
    no_contact = problem(
        api("sc", "post", f"/local-events/{event.pk}/signups/", {"name": "連絡先なし"}), 422
    )
    either = "電話番号かメールアドレスのどちらかを書いてください。"
    assert no_contact["errors"][0]["message"] == either
    cancelled = api("sc", "post", f"/local-signups/{taken.json()['id']}/cancel/").json()
    assert cancelled["cancelled"]["status"] == "cancelled"
    assert [s["receipt"] for s in cancelled["moved_up"]] == [waiter["receipt"]]
    assert "APIトークン" in audited("signup").detail
    before = counts()
    assert problem(
        api(
            "member",
            "post",
            f"/local-events/{event.pk}/signups/",
            {"name": "x", "phone": "03-1234-5678"},
        ),
        403,
    )
    assert problem(api("other_sc", "post", f"/local-signups/{waiter['id']}/cancel/"), 404)
    assert problem(api("sc", "post", f"/local-signups/{taken.json()['id']}/cancel/"), 422)
    assert counts() == before


def test_local_events_are_made_published_changed_and_called_off(api: Api, local: dict) -> None:
    start = SOON.isoformat()
    new = {
        "title": "お茶会",
        "kind": "social",
        "area": "takashimadaira",
        "organiser": "高島平地域",
        "starts_at": start,
        "ends_at": (SOON + dt.timedelta(hours=1)).isoformat(),
        "venue": "集会所",
        "description": "お茶を飲みながら話します。",
    }
    before = counts()
    assert problem(api("sc", "post", "/local-events/", {**new, "area": "itabashi"}), 422)
    assert problem(api("member", "post", "/local-events/", new), 403)
    assert problem(api("sc", "post", "/local-events/", new, scopes=(READ,)), 403)
    assert counts() == before
    made = api("sc", "post", "/local-events/", new)
    assert made.status_code == 201 and made.json()["state"] == "draft"
    pk = made.json()["id"]
    assert api("sc", "patch", f"/local-events/{pk}/", {"fee": "無料"}).json()["fee"] == "無料"
    assert api("sc", "post", f"/local-events/{pk}/publish/").json()["state"] == "published"
    assert problem(api("sc", "delete", f"/local-events/{pk}/"), 422)
    off = api("sc", "post", f"/local-events/{pk}/call-off/", {"reason": "会場の都合"}).json()
    assert off["state"] == "cancelled" and off["cancel_reason"] == "会場の都合"
    assert "APIトークン" in audited("localevent").detail
    assert api("sc", "delete", f"/local-events/{local['draft'].pk}/").status_code == 204
    assert problem(api("other_sc", "post", f"/local-events/{local['mine'].pk}/publish/"), 404)


# No query per row ----------------------------------------------------------------------------


def queries(api: Api, who: str, path: str) -> int:
    api(who, "get", path)  # the token's first use is stamped: not part of the count
    with CaptureQueriesContext(connection) as captured:
        assert api(who, "get", path).status_code == 200
    return len(captured.captured_queries)


def test_a_list_costs_the_same_for_3_rows_as_for_30(api: Api, itabashi: Any) -> None:
    for n in range(3):
        make_event("131199", title=f"研修{n}")
        make_local_event("takashimadaira", title=f"体験会{n}")
    few = queries(api, "sc", "/events/"), queries(api, "sc", "/local-events/")
    for n in range(27):
        event = make_event("blk-akatsuka", title=f"連絡会{n}")
        Registration.objects.create(event=event, user=api.users["sc"], status="registered")
        make_signup(make_local_event("takashimadaira", title=f"交流会{n}"))
    many = queries(api, "sc", "/events/"), queries(api, "sc", "/local-events/")
    assert few == many
    assert api("sc", "get", "/events/").json()["count"] == 30
