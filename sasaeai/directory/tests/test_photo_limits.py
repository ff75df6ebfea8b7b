"""The activity form checks a photo's bytes, then its pixels from the header, before decoding:
a huge image is refused with a message next to the field, and nothing is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from sasaeai.directory.models import Activity

from .builders import make_activity
from .photos import STAFF, edit_data, give_photo, image_bytes, png_claiming, upload

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024
TOO_MANY_PIXELS = "写真の画素数が多すぎます（4000万画素まで）"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def post_photo(client: Client, activity: Activity, content: bytes, name: str = "p.png") -> str:
    data = edit_data(activity, name="名前も変えた", photo=upload(content, name))
    response = client.post(f"{STAFF}{activity.pk}/edit/", data)
    assert response.status_code == 200
    return response.content.decode()


def stored(media: Path) -> set[Path]:
    return {path for path in media.rglob("*") if path.is_file()}


@pytest.mark.parametrize(
    "size", [(13_000, 13_000), (7_000, 6_000)], ids=["past PIL's own limit", "42 M pixels"]
)
def test_an_image_of_too_many_pixels_is_refused_before_decoding(
    client: Client, users: dict, tmp_path: Path, size: tuple[int, int]
) -> None:
    activity = make_activity("いきいきサロン")
    before = give_photo(activity)
    content = png_claiming(*size)
    assert len(content) < 1_000  # a few hundred bytes claim hundreds of megabytes decoded
    client.force_login(users["sc"])
    text = post_photo(client, activity, content)
    assert TOO_MANY_PIXELS in text and 'class="field__error"' in text
    activity.refresh_from_db()
    assert activity.name == "いきいきサロン" and Path(activity.photo.path) == before
    assert stored(tmp_path) == {before}


def test_a_file_over_the_byte_limit_is_refused(client: Client, users: dict, tmp_path: Path) -> None:
    activity = make_activity("いきいきサロン")
    heavy = image_bytes((40, 30), "PNG") + b"\0" * TEN_MB  # a valid image, padded
    client.force_login(users["sc"])
    text = post_photo(client, activity, heavy)
    assert "写真のファイルが大きすぎます。10MBまでの写真を選んでください。" in text
    activity.refresh_from_db()
    assert activity.name == "いきいきサロン" and not activity.photo
    assert stored(tmp_path) == set()


def test_other_formats_are_refused(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    client.force_login(users["sc"])
    text = post_photo(client, activity, image_bytes((40, 30), "GIF"), "p.gif")
    assert "写真として読み込めませんでした。JPEG か PNG の画像を選んでください。" in text
    activity.refresh_from_db()
    assert not activity.photo


def test_a_phone_photo_is_kept_upright_small_and_under_a_random_name(
    client: Client, users: dict
) -> None:
    activity = make_activity("いきいきサロン")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show it turned 90° clockwise
    exif[0x010F] = "Phone"  # Make: EXIF that must not reach the published file
    content = image_bytes((4000, 3000), "JPEG", exif=exif)
    client.force_login(users["sc"])
    data = edit_data(activity, photo=upload(content, "山田さんのお宅.jpg"))
    assert client.post(f"{STAFF}{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    name = str(activity.photo.name)
    assert "山田" not in name and name.endswith(".jpg")
    with Image.open(activity.photo.path) as saved:
        assert saved.format == "JPEG" and saved.size == (900, 1200)
        assert not saved.getexif()
