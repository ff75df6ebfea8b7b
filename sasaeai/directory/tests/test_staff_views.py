import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from sasaeai.directory.models import Activity, Kind, Proposal, Status
from sasaeai.test import area

from .builders import make_activity

pytestmark = pytest.mark.django_db
BASE = "/staff/activities/"


def form_data(**overrides: Any) -> dict[str, Any]:
    salon = Kind.objects.get(municipality__code="131199", code="salon")
    data: dict[str, Any] = {
        "area": str(area("takashimadaira").pk),
        "name": "ひまわりサロン",
        "kana": "ひまわりさろん",
        "visibility": "public",
        "activity_kinds": [str(salon.pk)],
        "welcomes_newcomers": "on",
        "places-TOTAL_FORMS": "1", "places-INITIAL_FORMS": "0",
        "places-0-name": "高島平地域センター", "places-0-address": "板橋区高島平3-12-28",
        "places-0-latitude": "35.789", "places-0-longitude": "139.659",
        "schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "0",
        "schedules-0-frequency": "monthly_nth", "schedules-0-weekdays": ["2"],
        "schedules-0-nth": "2", "schedules-0-opens_at": "14:00", "schedules-0-closes_at": "16:00",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_sc_creates_an_activity_with_place_and_schedule(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    response = client.post(f"{BASE}new/", form_data())
    activity = Activity.objects.get(name="ひまわりサロン")
    assert response["Location"] == f"{BASE}{activity.pk}/"
    assert activity.status == Status.DRAFT and activity.municipality.code == "131199"
    assert activity.schedules.get().in_words() == "毎月第2水曜 14:00〜16:00"
    assert activity.places.get().name == "高島平地域センター"
    assert "毎月第2水曜 14:00〜16:00" in client.get(response["Location"]).content.decode()


def test_bad_schedule_is_explained_and_nothing_saved(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    bad = form_data(**{"schedules-0-nth": "", "schedules-0-closes_at": "13:00"})
    response = client.post(f"{BASE}new/", bad)
    text = response.content.decode()
    assert response.status_code == 200
    assert "第何週かを1〜5で入れてください" in text and "終了時刻は開始時刻より後" in text
    assert not Activity.objects.exists()


def test_sc_cannot_create_in_another_region(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    response = client.post(f"{BASE}new/", form_data(area=str(area("narimasu").pk)))
    assert "正しく選択してください" in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_keeps_parts_and_photo_is_resized(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    place, schedule = activity.places.get(), activity.schedules.get()
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), "orange").save(buffer, "PNG")
    photo = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    data = form_data(
        name="いきいきサロン（改）", photo=photo,
        **{"places-INITIAL_FORMS": "1", "places-0-id": str(place.pk),
           "places-0-name": place.name, "places-0-address": place.address,
           "schedules-INITIAL_FORMS": "1", "schedules-0-id": str(schedule.pk)},
    )  # fmt: skip
    client.force_login(users["sc"])
    assert client.post(f"{BASE}{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.name == "いきいきサロン（改）" and activity.places.get().pk == place.pk
    with Image.open(activity.photo.path) as saved:
        assert max(saved.size) == 1200 and saved.format == "JPEG"


def test_publish_pause_end(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン", status=Status.DRAFT)
    client.force_login(users["sc"])
    for to in ("published", "paused", "published", "ended"):
        client.post(f"{BASE}{activity.pk}/status/", {"to": to})
        activity.refresh_from_db()
        assert activity.status == to
    response = client.post(f"{BASE}{activity.pk}/status/", {"to": "published"}, follow=True)
    assert "今の状態からは、その操作はできません" in response.content.decode()


def test_confirm_and_needs_confirming_list(client: Client, users: dict) -> None:
    old = dt.date.today() - dt.timedelta(days=400)
    stale = make_activity("古いサロン", last_confirmed=old)
    make_activity("新しいサロン", last_confirmed=dt.date.today())
    client.force_login(users["sc"])
    text = client.get(f"{BASE}needs-confirming/").content.decode()
    assert "古いサロン" in text and "新しいサロン" not in text
    client.post(f"{BASE}{stale.pk}/confirm/", {"next": f"{BASE}needs-confirming/"})
    stale.refresh_from_db()
    assert stale.last_confirmed == dt.date.today()
    listed = client.get(f"{BASE}needs-confirming/").context["page"]
    assert [a.name for a in listed] == []


def test_history_shows_changes(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン", status=Status.DRAFT)
    client.force_login(users["sc"])
    client.post(f"{BASE}{activity.pk}/status/", {"to": "published"})
    text = client.get(f"{BASE}{activity.pk}/").content.decode()
    assert "sc@example.jp 更新（状態）" in text


def test_an_editor_can_start_looking_for_peers(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    client.force_login(users["sc"])
    text = client.get(f"{BASE}{activity.pk}/").content.decode()
    assert f'href="/staff/needs/peers/activity/{activity.pk}/new/">仲間を募集する' in text
    assert client.get(f"/staff/needs/peers/activity/{activity.pk}/new/").status_code == 200


def test_list_is_scoped_and_filtered(client: Client, users: dict) -> None:
    make_activity("高島平のサロン")
    make_activity("成増のサロン", "narimasu")
    client.force_login(users["sc"])
    text = client.get(BASE).content.decode()
    assert "高島平のサロン" in text and "成増のサロン" not in text
    client.force_login(users["block"])
    assert "成増のサロン" in client.get(BASE, {"q": "さろん"}).content.decode()
    text = client.get(BASE, {"status": "draft"}).content.decode()
    assert "サロン</a>" not in text


def test_other_region_and_municipality_are_404(client: Client, users: dict) -> None:
    activity = make_activity("成増のサロン", "narimasu")
    for who in ("sc", "other_admin"):
        client.force_login(users[who])
        assert client.get(f"{BASE}{activity.pk}/").status_code == 404
        assert client.post(f"{BASE}{activity.pk}/status/", {"to": "ended"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == Status.PUBLISHED


def test_council_member_may_look_but_not_change(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    client.force_login(users["member"])
    assert client.get(f"{BASE}{activity.pk}/").status_code == 200
    assert client.get(f"{BASE}{activity.pk}/edit/").status_code == 403
    assert client.post(f"{BASE}{activity.pk}/confirm/").status_code == 403


def test_anonymous_and_wrong_method(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    assert client.get(BASE)["Location"].startswith("/accounts/login/")
    client.force_login(users["sc"])
    assert client.get(f"{BASE}{activity.pk}/status/").status_code == 405
    assert client.post(BASE).status_code == 405


def test_proposal_becomes_a_draft(client: Client, users: dict, itabashi: Any) -> None:
    data = {"kind": "new", "area": "takashimadaira", "name": "新しい体操", "details": "月曜"}
    client.post("/activities/propose/", data)
    proposal = Proposal.objects.get()
    client.force_login(users["sc"])
    assert "新しい体操" in client.get(f"{BASE}proposals/").content.decode()
    response = client.post(f"{BASE}proposals/{proposal.pk}/", {"decision": "accept"})
    activity = Activity.objects.get(name="新しい体操")
    assert activity.status == Status.DRAFT and response["Location"] == f"{BASE}{activity.pk}/edit/"
    client.force_login(users["other_sc"])
    assert (
        client.post(f"{BASE}proposals/{proposal.pk}/", {"decision": "decline"}).status_code == 404
    )
