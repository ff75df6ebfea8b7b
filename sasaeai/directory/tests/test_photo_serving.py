"""directory.views.photo: an activity's photo, to anyone while the activity is public on this
site, to staff who may see it otherwise; nothing else under MEDIA_ROOT has an address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.models import Activity, Status, Visibility

from .builders import make_activity
from .photos import STAFF, give_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def img_src(html: str) -> str:
    found = re.search(r'<img class="activity__photo" src="([^"]+)"', html)
    assert found, "no photo on the page"
    return found.group(1)


def test_the_public_page_shows_the_photo_and_its_address_answers(
    client: Client, itabashi: Any
) -> None:
    activity = make_activity("いきいきサロン")
    stored = give_photo(activity)
    src = img_src(client.get(f"/activities/{activity.pk}/").content.decode())
    assert src == activity.photo_url and src.endswith(f"/photo/{stored.name}")
    response = client.get(src)
    assert response.status_code == 200 and response.content == stored.read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "X-Accel-Expires" in response  # the proxy may share it, as the page itself
    again = client.get(src, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content


def test_the_type_comes_from_the_file(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    stored = give_photo(activity)
    stored.write_bytes(b"<html><script>alert(1)</script></html>")  # not an image we stored
    assert client.get(activity.photo_url).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"status": Status.ENDED}, {"visibility": Visibility.STAFF}],
    ids=["draft", "ended", "staff only"],
)
def test_no_photo_of_an_activity_residents_may_not_see(
    client: Client, itabashi: Any, fields: dict[str, Any]
) -> None:
    hidden = make_activity("下書きのサロン", **fields)
    give_photo(hidden)
    assert client.get(hidden.photo_url).status_code == 404


def test_no_guessing(client: Client, itabashi: Any, tmp_path: Path) -> None:
    activity = make_activity("いきいきサロン")
    stored = give_photo(activity)
    other = make_activity("朝の体操")
    receipt = tmp_path / "private/budgets/receipts/2025/0123abcd.pdf"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(b"%PDF-1.4 receipt")
    assert client.get(activity.photo_url).status_code == 200  # only its own address answers
    for path in (
        "/media/private/budgets/receipts/2025/0123abcd.pdf",
        f"/media/{activity.photo.name}",
        f"/activities/{other.pk}/photo/{stored.name}",  # another activity's address
        f"/activities/{activity.pk}/photo/0123abcd.pdf",
        f"/activities/{activity.pk}/photo/..%2F..%2Fprivate%2Fbudgets%2Freceipts%2F2025%2F0123abcd.pdf",
    ):
        assert client.get(path).status_code == 404, path


def test_a_replaced_photos_old_address_stops_answering(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    give_photo(activity)
    old = activity.photo_url
    give_photo(activity)
    assert activity.photo_url != old
    assert client.get(old).status_code == 404
    assert client.get(activity.photo_url).status_code == 200


def test_not_on_another_municipalitys_site(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    give_photo(activity)
    assert client.get(activity.photo_url, HTTP_HOST="midori.example.jp").status_code == 404


def test_staff_see_the_photo_of_an_activity_they_may_see(client: Client, users: dict) -> None:
    draft = make_activity("下書きのサロン", status=Status.DRAFT)
    stored = give_photo(draft)
    client.force_login(users["sc"])
    src = img_src(client.get(f"{STAFF}{draft.pk}/").content.decode())
    response = client.get(src)
    assert response.status_code == 200 and response.content == stored.read_bytes()
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Accel-Expires" not in response
    edit = client.get(f"{STAFF}{draft.pk}/edit/").content.decode()
    assert f'今の写真: <a href="{draft.photo_url}">写真を見る</a>' in edit
    assert "/media/" not in edit


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_staff_of_another_region_or_municipality_get_404(
    client: Client, users: dict, who: str
) -> None:
    draft = make_activity("下書きのサロン", status=Status.DRAFT)
    give_photo(draft)
    client.force_login(users[who])
    assert client.get(draft.photo_url).status_code == 404


def test_an_activity_without_a_photo_has_no_address(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    assert activity.photo_url == ""
    assert "activity__photo" not in client.get(f"/activities/{activity.pk}/").content.decode()
    assert client.get(f"/activities/{activity.pk}/photo/x.jpg").status_code == 404
    assert Activity.objects.get().photo.name == ""
