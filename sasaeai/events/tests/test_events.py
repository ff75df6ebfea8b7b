"""Creating, editing and publishing events; materials."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.events.models import Event, Material
from sasaeai.test import area

from .builders import kind, make_event


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "第1回 第2層SC等研修会", "kind": kind("training").pk, "area": area("131199").pk,
        "organiser": "板橋区社会福祉協議会", "starts_at": "2099-06-10T14:00",
        "ends_at": "2099-06-10T16:30", "venue": "グリーンホール", "address": "板橋区栄町36-1",
        "latitude": "35.7512", "longitude": "139.7093", "capacity": "40",
        "deadline": "2099-06-03T17:00", "description": "事例検討とグループワーク",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_ward_staff_create_a_draft_and_see_it_with_its_map(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    page = client.get("/staff/events/new/").content.decode()
    assert "第2ブロック連絡会" not in page and "第2層ブロック連絡会" in page
    response = client.post("/staff/events/new/", form_data())
    event = Event.objects.get()
    assert response["Location"] == f"/staff/events/{event.pk}/"
    assert event.municipality.code == "131199" and event.published_at is None
    assert event.created_by == users["ward"]
    page = client.get(response["Location"]).content.decode()
    assert "下書きとして保存しました" in page and "公開して対象のSCに知らせる" in page
    assert 'id="map"' in page and "leaflet.js" in page and "グリーンホール" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "名称を入れてください"),
        ({"ends_at": "2099-06-10T13:00"}, "終了日時は開始日時より後にしてください"),
        ({"deadline": "2099-06-11T10:00"}, "申込締切は開始日時より前にしてください"),
        ({"longitude": ""}, "緯度と経度は両方入れるか"),
        (
            {"starts_at": "2001-06-10T14:00", "ends_at": "2001-06-10T16:00", "deadline": ""},
            "これからの日時を入れてください",
        ),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    client: Client, users: dict, overrides: dict, message: str
) -> None:
    client.force_login(users["ward"])
    response = client.post("/staff/events/new/", form_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_block_sc_may_make_only_events_of_their_block(client: Client, users: dict) -> None:
    client.force_login(users["block"])
    page = client.get("/staff/events/new/").content.decode()
    assert "赤塚ブロック" in page and "高島平" in page and "板橋ブロック" not in page
    response = client.post("/staff/events/new/", form_data(area=area("blk-itabashi").pk))
    assert response.status_code == 200 and not Event.objects.exists()
    client.post("/staff/events/new/", form_data(area=area("blk-akatsuka").pk,
                                                kind=kind("block-liaison").pk))  # fmt: skip
    assert Event.objects.get().area.code == "blk-akatsuka"


@pytest.mark.django_db
def test_staff_add_materials_that_the_scs_download(client: Client, users: dict, settings: Any,
                                                   tmp_path: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    client.force_login(users["ward"])
    upload = SimpleUploadedFile("shiryou.pdf", b"%PDF-1.4 test", "application/pdf")
    client.post(f"/staff/events/{event.pk}/materials/", {"title": "当日資料", "file": upload})
    material = Material.objects.get()
    client.force_login(users["sc"])
    assert "当日資料" in client.get(f"/staff/events/{event.pk}/").content.decode()
    response = client.get(f"/staff/events/materials/{material.pk}/")
    assert response.status_code == 200 and response.getvalue() == b"%PDF-1.4 test"
    assert client.post(f"/staff/events/{event.pk}/materials/", {}).status_code == 403


@pytest.mark.django_db
def test_a_program_file_is_refused_as_material(client: Client, users: dict, settings: Any,
                                                tmp_path: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    client.force_login(users["ward"])
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    response = client.post(f"/staff/events/{event.pk}/materials/", {"title": "x", "file": upload})
    assert "PDF・Word・Excel" in client.get(response["Location"]).content.decode()
    assert not Material.objects.exists()
