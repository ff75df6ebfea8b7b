"""A request Django refuses as malformed or suspicious (400) gets a Japanese page, like 403
and 404, not Django's English one."""

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_host_gets_the_japanese_400_page(client: Client, itabashi: Any) -> None:
    response = client.get("/", HTTP_HOST="evil.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "受け付けられませんでした" in page and 'lang="ja"' in page
    assert "Bad Request" not in page


def test_too_many_fields_gets_the_japanese_400_page(client: Client, itabashi: Any) -> None:
    fields = {f"f{n}": "x" for n in range(1200)}  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.post("/prefs/text-size/", fields)
    assert response.status_code == 400
    assert "受け付けられませんでした" in response.content.decode()
