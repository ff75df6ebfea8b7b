from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
URL = "/prefs/text-size/"


def test_large_text_persists_until_switched_back(client: Client, itabashi: Any) -> None:
    response = client.post(URL, {"next": "/areas/takashimadaira/"})
    assert response["Location"] == "/areas/takashimadaira/"
    page = client.get("/").content.decode()
    assert 'class="text-large"' in page and "文字を元の大きさに" in page
    client.post(URL, {"next": "/"})
    assert 'class="text-large"' not in client.get("/").content.decode()


def test_foreign_next_is_ignored(client: Client, itabashi: Any) -> None:
    assert client.post(URL, {"next": "https://evil.example/"})["Location"] == "/"


def test_get_is_405(client: Client, itabashi: Any) -> None:
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize("secure", [True, False])
def test_cookie_is_secure_when_the_session_cookie_is(
    client: Client, itabashi: Any, settings: Any, secure: bool
) -> None:
    settings.SESSION_COOKIE_SECURE = secure  # production: on (settings.py)
    cookie = client.post(URL, {"next": "/"}).cookies["sasaeai_text"]
    assert bool(cookie["secure"]) is secure
    # Only the server reads it (no script does), so no script may.
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Switching back deletes it with the same attributes.
    deleted = client.post(URL, {"next": "/"}).cookies["sasaeai_text"]
    assert deleted["max-age"] == 0 and deleted["samesite"] == "Lax"
