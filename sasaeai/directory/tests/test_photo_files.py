"""A photo that an activity drops (replaced, removed, or the activity deleted) leaves storage
once the change commits; a change that rolls back keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from .builders import make_activity
from .photos import STAFF, edit_data, give_photo, image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_other_edits_keep_the_photo_and_replacing_it_deletes_the_old_file(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    activity = make_activity("いきいきサロン")
    old = give_photo(activity)
    client.force_login(users["sc"])
    with django_capture_on_commit_callbacks(execute=True):
        renamed = client.post(f"{STAFF}{activity.pk}/edit/", edit_data(activity, name="改名"))
        client.post(f"{STAFF}{activity.pk}/confirm/")
    assert renamed.status_code == 302 and old.exists()
    activity.refresh_from_db()
    data = edit_data(activity, photo=upload(image_bytes(kind="PNG")))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{STAFF}{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.name == "改名" and not old.exists() and Path(activity.photo.path).exists()


def test_removing_the_photo_deletes_its_file(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    activity = make_activity("いきいきサロン")
    old = give_photo(activity)
    client.force_login(users["sc"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{STAFF}{activity.pk}/edit/", edit_data(activity, **{"photo-clear": "on"})
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert not activity.photo and not old.exists()


def test_deleting_the_activity_deletes_its_photo(
    itabashi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    activity = make_activity("いきいきサロン")
    stored = give_photo(activity)
    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert not stored.exists()


def test_a_removal_that_rolls_back_keeps_the_file(
    itabashi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    activity = make_activity("いきいきサロン")
    stored = give_photo(activity)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        activity.photo = None  # type: ignore[assignment]
        activity.save()
        raise RuntimeError
    assert stored.exists()
    activity.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        activity.photo = None  # type: ignore[assignment]
        activity.save()
    assert not stored.exists()
