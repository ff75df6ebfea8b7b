"""A meeting's photos: added on the minutes page with an activity photo's checks (size, pixels,
type; stored upright without EXIF under a random name), shown only to staff who may view the
council's area, removed after a confirmation (the file goes once that commits)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from sasaeai.councils.models import PHOTOS_A_MEETING, Meeting, MeetingPhoto
from sasaeai.directory.tests.photos import image_bytes, png_claiming, upload

from .builders import make_meeting

pytestmark = pytest.mark.django_db
BASE = "/staff/councils/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(
    client: Client, meeting: Meeting, content: bytes, caption: str = "グループで話し合い"
) -> Any:
    data = {"image": upload(content, "IMG_0001 山田さん.png"), "caption": caption}
    return client.post(f"{BASE}meetings/{meeting.pk}/photos/", data)


def stored(media: Path) -> set[Path]:
    return {path for path in media.rglob("*") if path.is_file()}


def test_sc_adds_a_photo_on_the_minutes_page_stored_as_an_upright_jpeg(
    users: dict, tmp_path: Path
) -> None:
    meeting = make_meeting()
    client = as_(users["sc"])
    page = client.get(f"{BASE}meetings/{meeting.pk}/minutes/").content.decode()
    assert "写真を追加する" in page and 'enctype="multipart/form-data"' in page
    tall = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° to show": a phone's portrait photo
    Image.new("RGB", (400, 300), "orange").save(tall, "JPEG", exif=exif)
    response = add(client, meeting, tall.getvalue())
    assert response.status_code == 302
    photo = MeetingPhoto.objects.get(meeting=meeting)
    assert photo.caption == "グループで話し合い" and photo.added_by == users["sc"]
    name = photo.image.name or ""
    assert "山田" not in name and name.endswith(".jpg")
    with Image.open(photo.image.path) as saved:
        assert saved.format == "JPEG" and saved.size == (300, 400)
        assert not saved.getexif()
    page = client.get(f"{BASE}meetings/{meeting.pk}/minutes/").content.decode()
    assert photo.url in page and "グループで話し合い" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_claiming(13_000, 13_000), "写真の画素数が多すぎます"),
        (png_claiming(7_000, 6_000), "写真の画素数が多すぎます"),
        (b"GIF89a" + b"\0" * 100, "JPEG か PNG の画像を選んでください"),
        (image_bytes(kind="GIF"), "JPEG か PNG の画像を選んでください"),
        (b"%PDF-1.4 not a photo", "JPEG か PNG の画像を選んでください"),
    ],
    ids=["bomb", "42 M pixels", "gif header", "gif", "pdf"],
)
def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_kept(
    users: dict, tmp_path: Path, content: bytes, message: str
) -> None:
    meeting = make_meeting()
    response = add(as_(users["sc"]), meeting, content)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="field__error"' in text and message in text
    assert not MeetingPhoto.objects.exists() and not stored(tmp_path)


def test_a_file_over_ten_megabytes_is_refused(users: dict, tmp_path: Path) -> None:
    meeting = make_meeting()
    big = image_bytes() + b"\0" * (10 * 1024 * 1024)
    response = add(as_(users["sc"]), meeting, big)
    assert response.status_code == 400
    assert "10MBまでの写真を選んでください" in response.content.decode()
    assert not MeetingPhoto.objects.exists() and not stored(tmp_path)


def test_no_more_than_the_limit_a_meeting(users: dict) -> None:
    meeting = make_meeting()
    client = as_(users["sc"])
    for _ in range(PHOTOS_A_MEETING):
        assert add(client, meeting, image_bytes()).status_code == 302
    response = add(client, meeting, image_bytes())
    assert response.status_code == 400 and "までです" in response.content.decode()
    assert meeting.photos.count() == PHOTOS_A_MEETING


def test_only_staff_of_the_area_see_a_photo(users: dict) -> None:
    meeting = make_meeting()
    add(as_(users["sc"]), meeting, image_bytes())
    photo = MeetingPhoto.objects.get()
    for who in ("sc", "block", "ward"):
        response = as_(users[who]).get(photo.url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
    assert as_(users["other_sc"]).get(photo.url).status_code == 404
    assert as_(users["other_admin"]).get(photo.url).status_code == 404
    anonymous = Client().get(photo.url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/")
    # A guessed or old file name is no address.
    assert as_(users["sc"]).get(f"{BASE}photos/{photo.pk}/other.jpg").status_code == 404


def test_a_photo_is_removed_after_confirmation_and_its_file_goes(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting()
    client = as_(users["sc"])
    add(client, meeting, image_bytes())
    photo = MeetingPhoto.objects.get()
    path = Path(photo.image.path)
    ask = client.get(f"{BASE}photos/{photo.pk}/remove/").content.decode()
    assert "元には戻せません" in ask and path.exists()
    assert as_(users["other_sc"]).post(f"{BASE}photos/{photo.pk}/remove/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}photos/{photo.pk}/remove/")
    assert response.status_code == 302
    assert not MeetingPhoto.objects.exists() and not path.exists()


def test_a_council_member_sees_the_photos_but_cannot_add(users: dict) -> None:
    meeting = make_meeting()
    add(as_(users["sc"]), meeting, image_bytes())
    member = as_(users["member"])
    page = member.get(f"{BASE}meetings/{meeting.pk}/photos/")
    assert page.status_code == 200
    text = page.content.decode()
    assert MeetingPhoto.objects.get().url in text
    assert "写真を追加する" not in text and "この写真を外す" not in text
    assert add(member, meeting, image_bytes()).status_code == 403
    assert MeetingPhoto.objects.count() == 1
