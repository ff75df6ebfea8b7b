"""The demo's drawn photos: a JPEG on each of a few demo cases, with consent, shown on the
public page of a public case, made once."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from ..demo_cases import PHOTOS, add_demo_photos
from ..models import Audience, CaseStatus
from .builders import make_case

pytestmark = pytest.mark.django_db


def test_drawn_photos_on_the_demo_cases(client: Client, users: dict[str, User]) -> None:
    cases = [
        make_case(by=users["sc"], title=start + "た", status=CaseStatus.PUBLISHED,
                  audience=Audience.PUBLIC)
        for start, _caption, _colours in PHOTOS
    ]  # fmt: skip
    assert add_demo_photos(cases[0].municipality) == len(PHOTOS)
    assert add_demo_photos(cases[0].municipality) == 0  # once
    photo = cases[0].photos.get()
    assert photo.consent and not photo.internal and photo.file_name.endswith(".jpg")
    page = client.get(f"/knowhow/{cases[0].pk}/").content.decode()
    assert photo.public_url in page and photo.caption in page
    response = client.get(photo.public_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"
