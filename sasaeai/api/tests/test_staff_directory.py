"""The staff API's activities, places and schedules, as a script meets them: the list the staff
page shows (with its filters), one activity with its places and schedules, new ones and
changes checked by the page's forms and written by its services (audited, naming the token),
status changes as the page's buttons; and the access matrix of the pages, over the API: the
same records seen, the same refused (404 unseen, 403 seen but not changeable), nothing
written on any refusal."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.api import tokens
from sasaeai.api.models import Scope, Token
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.directory.models import Activity, Place, Schedule, Status, Visibility
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import OTHER_HOST

pytestmark = pytest.mark.django_db
API = "/api/staff/activities/"
READ, WRITE = Scope.DIRECTORY_READ, Scope.DIRECTORY_WRITE
BOTH = (READ, WRITE)


def secret_of(user: User, scopes: tuple[str, ...] = BOTH) -> str:
    """A token of `user`: made as the settings page makes it, or (for a council member, who
    signs in without MFA and so may make none) written directly."""
    expires = timezone.localdate() + dt.timedelta(days=30)
    try:
        return tokens.make(user, "取り込み", expires, list(scopes)).secret
    except tokens.Refused:
        secret = tokens.PREFIX + secrets.token_urlsafe(32)
        assert user.municipality is not None
        Token.objects.create(
            user=user, municipality=user.municipality, name="取り込み", prefix=secret[:14],
            digest=tokens.digest(secret), scopes=list(scopes),
            expires_at=timezone.now() + dt.timedelta(days=30),
        )  # fmt: skip
        return secret


class Script:
    """A script with a token, talking to the host of its user's municipality."""

    def __init__(self, user: User, scopes: tuple[str, ...] = BOTH) -> None:
        host = OTHER_HOST if user.email.startswith("other_admin") else "testserver"
        self.client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {secret_of(user, scopes)}")

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(path, query)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        data = body if isinstance(body, str) else json.dumps(body or {})
        return getattr(self.client, method)(path, data, content_type="application/json")

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(path)


def read(response: Any) -> Any:
    """The JSON of an answer (a problem document's content type is application/problem+json)."""
    return json.loads(response.content)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = read(response)
    assert body["status"] == status and any("\u3040" <= c <= "\u9fff" for c in body["detail"])
    return body


def messages(body: dict[str, Any]) -> dict[str, str]:
    return {error["where"]: error["message"] for error in body["errors"]}


def counts() -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    rows = Activity.objects.order_by("pk").values_list("pk", "name", "status", "last_confirmed")
    places = Place.objects.order_by("pk").values_list("pk", "name", "address")
    schedules = Schedule.objects.order_by("pk").values_list("pk", "frequency", "note")
    writes = AuditEntry.objects.filter(action__in=[Action.CREATE, Action.UPDATE, Action.DELETE])
    return list(rows), list(places), list(schedules), writes.count()


def new_activity(**changes: Any) -> dict[str, Any]:
    return {
        "area": "takashimadaira",
        "name": "ひまわりサロン",
        "kana": "ひまわりさろん",
        "activity_kinds": ["salon"],
        "organiser_kinds": ["volunteer"],
        "organization_name": "高島平ふれあいの会",
        "fee": "100円",
        "places": [{"name": "高島平地域センター", "address": "板橋区高島平3-12-28",
                    "latitude": 35.789, "longitude": 139.659}],
        "schedules": [{"frequency": "monthly_nth", "weekdays": [2], "nth": 2,
                       "opens_at": "14:00", "closes_at": "16:00"}],
        **changes,
    }  # fmt: skip


@pytest.fixture
def salon(users: dict[str, User]) -> Activity:
    return make_activity("いきいきサロン", status=Status.DRAFT)


# --- Activities ----------------------------------------------------------------------------


def page_names(user: User, **query: Any) -> list[str]:
    """What the staff list page shows the same person."""
    host = OTHER_HOST if user.email.startswith("other_admin") else "testserver"
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return [activity.name for activity in client.get("/staff/activities/", query).context["page"]]


def test_the_list_shows_each_person_what_the_page_shows(users: dict[str, User]) -> None:
    make_activity("高島平のサロン", kinds=("salon",))
    make_activity("高島平の体操", kinds=("exercise",), status=Status.DRAFT)
    make_activity("成増のサロン", "narimasu")
    make_activity("板橋のサロン", "itabashi")
    make_activity("南のサロン", "minami-jhs")
    seen = {
        "admin": ["成増のサロン", "板橋のサロン", "高島平のサロン", "高島平の体操"],
        "block": ["成増のサロン", "高島平のサロン", "高島平の体操"],
        "sc": ["高島平のサロン", "高島平の体操"],
        "member": ["高島平のサロン", "高島平の体操"],
        "other_sc": ["板橋のサロン"],
        "other_admin": ["南のサロン"],
    }
    for who, names in seen.items():
        answer = read(Script(users[who]).get(API))
        listed = [item["name"] for item in answer["items"]]
        assert sorted(listed) == sorted(names), who
        assert listed == page_names(users[who]), who
        assert answer["count"] == len(names) and answer["page"] == 1
    problem(Script(users["institution"]).get(API), 403)  # no VIEW anywhere: the page's 403


def test_the_list_narrows_as_the_page_does(users: dict[str, User]) -> None:
    make_activity("高島平のサロン", kinds=("salon",))
    make_activity("高島平の体操", kinds=("exercise",), status=Status.DRAFT)
    make_activity("職員だけの集まり", kinds=("salon",), visibility=Visibility.STAFF,
                  last_confirmed=timezone.localdate())  # fmt: skip
    make_activity("成増のサロン", "narimasu")
    script = Script(users["block"])

    def names(**query: Any) -> list[str]:
        return [item["name"] for item in read(script.get(API, **query))["items"]]

    for query in ({"q": "さろん"}, {"status": "draft"}):
        assert names(**query) == page_names(users["block"], **query)
    assert names(q="さろん") == ["成増のサロン", "職員だけの集まり", "高島平のサロン"]
    assert names(status="draft") == ["高島平の体操"]
    assert names(kind="salon") == ["成増のサロン", "職員だけの集まり", "高島平のサロン"]
    assert names(area="narimasu") == ["成増のサロン"]
    assert names(visibility="staff") == ["職員だけの集まり"]
    assert "職員だけの集まり" not in names(needs_confirming=True)
    first = read(script.get(API, per_page=1, page=2))
    assert first["count"] == 4 and first["per_page"] == 1 and len(first["items"]) == 1
    item = first["items"][0]
    assert item["area"] == "takashimadaira" and item["area_name"] == "高島平"
    assert item["kinds"] == [{"code": "salon", "name": "サロン"}]
    assert item["status_label"] == "公開中"

    wrong = problem(script.get(API, status="gone", kind="nothing", visibility="x"), 422)
    assert set(messages(wrong)) == {"query.status", "query.kind", "query.visibility"}
    assert messages(wrong)["query.kind"] == "活動の種類は一覧から選んでください。"
    # An area the holder does not see is no choice at all, as on the page.
    problem(Script(users["sc"]).get(API, area="narimasu"), 422)


def test_a_list_row_says_what_the_activity_itself_says(users: dict[str, User]) -> None:
    """The list builds its rows from plain values (its speed): each row's fields are those of
    the activity's own answer, kinds in the same order (both facets), labels and times alike."""
    make_activity("高島平のサロン", kinds=("volunteer", "tea", "salon"), status=Status.PAUSED,
                  last_confirmed=timezone.localdate(), kana="たかしまだいらのさろん")  # fmt: skip
    make_activity("成増の集まり", "narimasu", kinds=(), visibility=Visibility.STAFF)
    script = Script(users["block"])
    rows = read(script.get(API))["items"]
    assert [row["name"] for row in rows] == ["成増の集まり", "高島平のサロン"]
    for row in rows:
        own = read(script.get(f"{API}{row['id']}/"))
        assert row == {name: own[name] for name in row}, row["name"]
    assert [kind["code"] for kind in rows[1]["kinds"]] == ["salon", "tea", "volunteer"]
    assert rows[1]["status_label"] == "休止中" and rows[0]["kinds"] == []


def test_one_activity_with_its_places_and_schedules(
    salon: Activity, users: dict[str, User]
) -> None:
    answer = Script(users["sc"]).get(f"{API}{salon.pk}/")
    assert answer.status_code == 200
    body = read(answer)
    assert body["name"] == "いきいきサロン" and body["status"] == "draft"
    assert body["municipality"] == "131199" and body["activity_kinds"] == ["salon"]
    assert body["places"] == [{"id": salon.places.get().pk, "name": "いきいきサロンの会場",
                               "postal_code": "", "address": "板橋区", "latitude": 35.789,
                               "longitude": 139.659}]  # fmt: skip
    assert body["schedules"][0]["in_words"] == "毎週水曜 14:00〜16:00"
    assert body["schedules"][0]["weekdays"] == [2] and body["schedules"][0]["opens_at"] == "14:00"
    assert body["can_edit"] is True
    assert [t["to"] for t in body["transitions"]] == ["in_review", "published", "ended"]
    member = read(Script(users["member"]).get(f"{API}{salon.pk}/"))
    assert member["can_edit"] is False and member["transitions"] == []


def test_a_new_activity_is_a_draft_with_its_parts_and_is_audited(users: dict[str, User]) -> None:
    answer = Script(users["sc"]).post(API, new_activity())
    assert answer.status_code == 201, answer.content
    body = read(answer)
    activity = Activity.objects.get(pk=body["id"])
    assert body["status"] == "draft" and activity.status == Status.DRAFT
    assert body["activity_kinds"] == ["salon"] and body["organiser_kinds"] == ["volunteer"]
    assert body["organization_name"] == "高島平ふれあいの会"
    assert body["welcomes_newcomers"] is True  # the page's default
    assert body["schedules"][0]["in_words"] == "毎月第2水曜 14:00〜16:00"
    assert body["places"][0]["name"] == "高島平地域センター"
    assert activity.places.get().listed is False  # a draft's place is not on the public map
    entry = AuditEntry.objects.get(model="directory.Activity", action=Action.CREATE)
    assert entry.object_id == str(activity.pk) and "APIトークン「取り込み」" in entry.detail
    assert entry.user == users["sc"]
    # The search index was written: the list's words find it by its reading.
    found = read(Script(users["sc"]).get(API, q="ひまわり"))
    assert [item["id"] for item in found["items"]] == [activity.pk]


def test_a_new_activity_is_checked_as_the_page_checks_it(users: dict[str, User]) -> None:
    script, before = Script(users["sc"]), counts()
    wrong = problem(script.post(API, new_activity(area="narimasu")), 422)
    assert "body.payload.area" in messages(wrong)
    bad = new_activity(schedules=[{"frequency": "monthly_nth", "weekdays": [2],
                                   "opens_at": "14:00", "closes_at": "13:00"}],
                       places=[{"name": "会場", "address": "板橋区", "latitude": 35.7}],
                       activity_kinds=[], name="")  # fmt: skip
    said = messages(problem(script.post(API, bad), 422))
    assert said["body.payload.schedules.0.nth"] == "第何週かを1〜5で入れてください。"
    assert said["body.payload.schedules.0.closes_at"] == "終了時刻は開始時刻より後にしてください。"
    assert said["body.payload.places"] == "緯度と経度は両方入れるか、両方空にしてください。"
    assert said["body.payload.name"] == "このフィールドは必須です。"
    assert "body.payload.activity_kinds" in said
    assert "body.payload.places" in messages(
        problem(script.post(API, new_activity(places=[new_activity()["places"][0]] * 4)), 422)
    )
    assert counts() == before


def test_bad_bodies_are_clear_problems_and_write_nothing(users: dict[str, User]) -> None:
    script, before = Script(users["sc"]), counts()
    unknown = problem(script.post(API, new_activity(colour="red")), 422)
    assert "body.payload.colour" in messages(unknown)
    body = problem(script.post(API, '{"name": "ひまわり"'), 400)
    assert body["detail"] == "送られた内容を JSON として読めませんでした。"
    typed = problem(script.post(API, new_activity(capacity="たくさん", places="会場")), 422)
    assert {"body.payload.capacity", "body.payload.places"} <= set(messages(typed))
    negative = problem(script.post(API, new_activity(capacity=-1)), 422)
    assert "body.payload.capacity" in messages(negative)
    assert counts() == before


def test_a_change_changes_what_was_sent_and_keeps_the_rest(
    salon: Activity, users: dict[str, User]
) -> None:
    place, schedule = salon.places.get(), salon.schedules.get()
    change = {"name": "いきいきサロン（改）", "activity_kinds": ["salon", "tea"], "capacity": 12}
    script = Script(users["sc"])
    answer = script.patch(f"{API}{salon.pk}/", change)
    assert answer.status_code == 200, answer.content
    body = read(answer)
    assert body["name"] == "いきいきサロン（改）" and body["capacity"] == 12
    assert body["activity_kinds"] == ["salon", "tea"] and body["kana"] == salon.kana
    assert [p["id"] for p in body["places"]] == [place.pk]
    assert [s["id"] for s in body["schedules"]] == [schedule.pk]
    salon.refresh_from_db()
    assert salon.name == "いきいきサロン（改）" and salon.status == Status.DRAFT
    entry = AuditEntry.objects.filter(model="directory.Activity", action=Action.UPDATE).first()
    assert entry is not None and "name" in entry.changed_fields
    assert "APIトークン「取り込み」" in entry.detail
    before = counts()
    said = messages(problem(script.patch(f"{API}{salon.pk}/", {"name": ""}), 422))
    assert said == {"body.payload.name": "このフィールドは必須です。"}
    problem(script.patch(f"{API}{salon.pk}/", {"area": "narimasu"}), 422)
    assert counts() == before


def test_status_changes_are_the_pages_buttons(salon: Activity, users: dict[str, User]) -> None:
    script = Script(users["sc"])
    for to in ("published", "paused", "published", "ended"):
        answer = script.post(f"{API}{salon.pk}/status/", {"to": to})
        assert read(answer)["status"] == to
    salon.refresh_from_db()
    assert salon.status == Status.ENDED
    before = counts()
    refused = problem(script.post(f"{API}{salon.pk}/status/", {"to": "published"}), 422)
    assert messages(refused) == {"body.payload.to": "今の状態からは、その操作はできません。"}
    problem(script.post(f"{API}{salon.pk}/status/", {"to": "draft"}), 422)
    assert counts() == before
    entry = AuditEntry.objects.filter(model="directory.Activity", changed_fields=["status"])
    assert entry.count() == 4 and all("APIトークン" in e.detail for e in entry)


def test_confirming_records_today(salon: Activity, users: dict[str, User]) -> None:
    answer = Script(users["sc"]).post(f"{API}{salon.pk}/confirm/")
    assert read(answer)["last_confirmed"] == timezone.localdate().isoformat()


# --- Places and schedules --------------------------------------------------------------------


def test_places_one_at_a_time(salon: Activity, users: dict[str, User]) -> None:
    script, first = Script(users["sc"]), salon.places.get()
    places = f"{API}{salon.pk}/places/"
    assert [p["name"] for p in read(script.get(places))] == ["いきいきサロンの会場"]
    assert read(script.get(f"{places}{first.pk}/"))["address"] == "板橋区"
    added = script.post(places, {"name": "高島平図書館", "address": "板橋区高島平2-1"})
    assert added.status_code == 201, added.content
    second = read(added)
    assert second["name"] == "高島平図書館" and second["latitude"] is None
    changed = read(script.patch(f"{places}{first.pk}/", {"postal_code": "175-0082"}))
    assert changed == {**changed, "id": first.pk, "name": "いきいきサロンの会場",
                       "postal_code": "175-0082"}  # fmt: skip
    assert script.delete(f"{places}{first.pk}/").status_code == 204
    assert [p["id"] for p in read(script.get(places))] == [second["id"]]  # its id kept
    salon.refresh_from_db()
    assert "図書館" in salon.search_text and "会場" not in salon.search_text
    entry = AuditEntry.objects.get(model="directory.Place", action=Action.DELETE)
    assert entry.object_id == str(first.pk) and "APIトークン" in entry.detail

    before = counts()
    said = messages(problem(script.post(places, {"name": "会場"}), 422))
    assert said == {"body.payload.address": "このフィールドは必須です。"}
    script.post(places, {"name": "2つ目", "address": "板橋区"})
    script.post(places, {"name": "3つ目", "address": "板橋区"})
    before = counts()
    fourth = problem(script.post(places, {"name": "4つ目", "address": "板橋区"}), 422)
    assert messages(fourth) == {"body.payload": "場所は3つまでです。"}
    assert counts() == before


def test_schedules_one_at_a_time(salon: Activity, users: dict[str, User]) -> None:
    script, weekly = Script(users["sc"]), salon.schedules.get()
    schedules = f"{API}{salon.pk}/schedules/"
    assert [s["in_words"] for s in read(script.get(schedules))] == ["毎週水曜 14:00〜16:00"]
    added = script.post(schedules, {"frequency": "monthly_date", "day_of_month": 15,
                                    "opens_at": "10:00"})  # fmt: skip
    assert added.status_code == 201, added.content
    assert read(added)["in_words"] == "毎月15日 10:00〜"
    changed = read(script.patch(f"{schedules}{weekly.pk}/", {"weekdays": [0, 4]}))
    assert changed["in_words"] == "毎週月・金曜 14:00〜16:00" and changed["id"] == weekly.pk
    salon.refresh_from_db()
    assert salon.weekday_bits == 0b10001  # the search's filter columns follow
    before = counts()
    said = messages(problem(script.patch(f"{schedules}{weekly.pk}/", {"weekdays": []}), 422))
    assert said == {"body.payload.weekdays": "毎週の場合は曜日を選んでください。"}
    irregular = problem(script.post(schedules, {"frequency": "irregular"}), 422)
    assert messages(irregular) == {
        "body.payload.note": "不定期の場合は、いつ開くかを補足に書いてください。"
    }
    assert counts() == before
    assert script.delete(f"{schedules}{weekly.pk}/").status_code == 204
    assert [s["in_words"] for s in read(script.get(schedules))] == ["毎月15日 10:00〜"]


def test_a_part_of_another_activity_is_not_found(salon: Activity, users: dict[str, User]) -> None:
    other = make_activity("ほかのサロン")
    script, before = Script(users["sc"]), counts()
    place, schedule = other.places.get(), other.schedules.get()
    problem(script.get(f"{API}{salon.pk}/places/{place.pk}/"), 404)
    problem(script.patch(f"{API}{salon.pk}/places/{place.pk}/", {"name": "x"}), 404)
    problem(script.delete(f"{API}{salon.pk}/schedules/{schedule.pk}/"), 404)
    problem(script.get(f"{API}{2**31 - 7}/"), 404)
    assert counts() == before


# --- Who may do what -------------------------------------------------------------------------

# Each operation on an activity of takashimadaira (on its first place and schedule), whether
# it reads, writes or creates; in an order in which each can follow the one before.
Operation = Callable[[Script, Activity], Any]


def first_place(a: Activity) -> str:
    return f"{API}{a.pk}/places/{a.places.order_by('id').first().pk}/"  # type: ignore[union-attr]


def first_schedule(a: Activity) -> str:
    return f"{API}{a.pk}/schedules/{a.schedules.order_by('id').first().pk}/"  # type: ignore[union-attr]


VENUE = {"name": "会場", "address": "板橋区"}
TUESDAYS = {"frequency": "weekly", "weekdays": [1]}
OPERATIONS: dict[str, tuple[str, Operation]] = {
    "list": ("read", lambda s, a: s.get(API)),
    "one": ("read", lambda s, a: s.get(f"{API}{a.pk}/")),
    "places": ("read", lambda s, a: s.get(f"{API}{a.pk}/places/")),
    "place": ("read", lambda s, a: s.get(first_place(a))),
    "schedules": ("read", lambda s, a: s.get(f"{API}{a.pk}/schedules/")),
    "schedule": ("read", lambda s, a: s.get(first_schedule(a))),
    "create": ("create", lambda s, a: s.post(API, new_activity())),
    "update": ("write", lambda s, a: s.patch(f"{API}{a.pk}/", {"name": "変えた"})),
    "publish": ("write", lambda s, a: s.post(f"{API}{a.pk}/status/", {"to": "published"})),
    "end": ("write", lambda s, a: s.post(f"{API}{a.pk}/status/", {"to": "ended"})),
    "confirm": ("write", lambda s, a: s.post(f"{API}{a.pk}/confirm/")),
    "add place": ("write", lambda s, a: s.post(f"{API}{a.pk}/places/", VENUE)),
    "change place": ("write", lambda s, a: s.patch(first_place(a), {"name": "変えた"})),
    "delete place": ("write", lambda s, a: s.delete(first_place(a))),
    "add schedule": ("write", lambda s, a: s.post(f"{API}{a.pk}/schedules/", TUESDAYS)),
    "change schedule": ("write", lambda s, a: s.patch(first_schedule(a), {"note": "祝日休み"})),
    "delete schedule": ("write", lambda s, a: s.delete(first_schedule(a))),
}  # fmt: skip
# What each person gets, as on the pages: (reading, writing, creating); "ok" a 2xx.
MATRIX: dict[str, tuple[int, int | str, int]] = {
    "admin": (200, "ok", 201),
    "ward": (200, "ok", 201),
    "block": (200, "ok", 201),
    "sc": (200, "ok", 201),
    "member": (200, 403, 403),  # may look, not change
    "institution": (403, 403, 403),  # no part in the directory at all
    "other_sc": (404, 404, 422),  # another region: unseen; and no region of theirs here
    "other_admin": (404, 404, 422),  # another municipality
}


@pytest.mark.parametrize("who", MATRIX)
def test_the_access_matrix_over_the_api(who: str, users: dict[str, User]) -> None:
    reading, writing, creating = MATRIX[who]
    salon, script = make_activity("いきいきサロン", status=Status.DRAFT), Script(users[who])
    for name, (kind, operation) in OPERATIONS.items():
        before = counts()
        answer = operation(script, salon)
        expected = {"read": reading, "write": writing, "create": creating}[kind]
        if expected == "ok":
            assert answer.status_code in (200, 201, 204), (who, name, answer.content)
        elif name == "list" and expected == 404:  # a list holds what may be seen: not this
            assert salon.pk not in [item["id"] for item in read(answer)["items"]], who
        elif expected in (200, 201):
            assert answer.status_code == expected, (who, name, answer.content)
        else:
            problem(answer, int(expected))
            assert counts() == before, (who, name)


def test_a_reading_token_writes_nothing(salon: Activity, users: dict[str, User]) -> None:
    script, before = Script(users["sc"], (READ,)), counts()
    assert script.get(f"{API}{salon.pk}/").status_code == 200
    for name, (kind, operation) in OPERATIONS.items():
        if kind != "read":
            body = problem(operation(script, salon), 403)
            assert body["code"] == "scope", name
    assert counts()[:3] == before[:3]
    problem(Script(users["sc"], (Scope.NEEDS_READ,)).get(API), 403)


def test_another_municipalitys_token_is_refused_here(
    salon: Activity, users: dict[str, User]
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret_of(users['other_admin'])}")
    body = problem(client.get(f"{API}{salon.pk}/"), 401)
    assert body["code"] == "other_municipality"


# --- Cost ------------------------------------------------------------------------------------


def test_a_list_page_costs_the_same_for_3_rows_as_for_30(users: dict[str, User]) -> None:
    script = Script(users["block"])
    script.get(API)  # the token's first use is stamped: not part of what a page costs

    def cost(count: int) -> int:
        Activity.objects.all().delete()
        for n in range(count):
            make_activity(f"サロン{n}", "narimasu" if n % 2 else "takashimadaira",
                          kinds=("salon", "tea"))  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            answer = read(script.get(API, q="さろん", per_page=50))
        assert answer["count"] == count and len(answer["items"]) == count
        assert all(len(item["kinds"]) == 2 for item in answer["items"])
        return len(queries)

    few, many = cost(3), cost(30)
    print(f"staff API activity list: {few} queries for 3 rows, {many} for 30")
    assert few == many


def test_numbers_out_of_range_are_no_error(salon: Activity, users: dict[str, User]) -> None:
    script = Script(users["sc"])
    far = read(script.get(API, page=10**6))
    assert far["items"] == [] and far["count"] == 1
    assert script.get(API, page=10**30).status_code in (200, 422)
    problem(script.get(f"{API}{2**70}/"), 422)  # past what a database stores
    problem(script.get(f"{API}{salon.pk}/places/{2**70}/"), 422)
    problem(script.post(f"{API}{salon.pk}/status/", {"to": "published", "extra": 1}), 422)


def test_values_of_another_type_are_refused(salon: Activity, users: dict[str, User]) -> None:
    """No 1 for true, no false for a number, no number for a date: pydantic would take each."""
    script, before = Script(users["sc"]), counts()
    first = salon.places.get()
    for body in ({"is_free": 1}, {"capacity": "12"}, {"last_confirmed": 20260401},
                 {"last_confirmed": "2026-02-30"}):  # fmt: skip
        problem(script.patch(f"{API}{salon.pk}/", body), 422)
    problem(script.patch(f"{API}{salon.pk}/places/{first.pk}/", {"longitude": False}), 422)
    late = problem(script.post(f"{API}{salon.pk}/schedules/",
                               {"frequency": "weekly", "weekdays": [1], "opens_at": "25:00"}),
                   422)  # fmt: skip
    assert "body.payload.opens_at" in messages(late)
    assert counts() == before


def test_the_lists_count_is_remembered_until_an_activity_changes(users: dict[str, User]) -> None:
    script = Script(users["ward"])
    for n in range(3):
        make_activity(f"体操{n}", "takashimadaira")
    assert read(script.get(API, q="体操"))["count"] == 3

    def counted(**query: Any) -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            count = read(script.get(API, **query))["count"]
        sql = [q["sql"].upper() for q in queries]
        return count, any("COUNT(" in q and "DIRECTORY_ACTIVITY" in q for q in sql)

    assert counted(q="体操") == (3, False)  # the same list again: not counted again
    assert counted(q="体操", page=2) == (3, False)  # another page of it neither
    assert counted(q="サロン")[1] is True  # other words, another count
    make_activity("体操3", "narimasu")  # a change: counted anew, with it
    assert counted(q="体操") == (4, True)
    # Another person's scope is another query: the SC of 高島平 sees their own three.
    assert read(Script(users["sc"]).get(API, q="体操"))["count"] == 3
