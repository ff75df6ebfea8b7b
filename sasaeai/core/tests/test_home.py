from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_the_ward_blocks_and_regions(client: Client, itabashi: Any) -> None:
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "板橋区" in text and "赤塚ブロック" in text
    assert 'href="/areas/takashimadaira/"' in text
    assert text.count('class="area-link"') == 18


def test_pages_travel_compressed_to_browsers_that_accept_it(client: Client, itabashi: Any) -> None:
    import gzip

    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "赤塚ブロック" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get("/")  # and plain to those that do not


def test_home_leads_residents_to_what_they_can_do(client: Client, itabashi: Any) -> None:
    text = client.get("/").content.decode()
    for place in ("/needs/new/", "/events/"):
        assert f'href="{place}' in text, place


def test_second_municipality_has_its_own_home(client: Client, itabashi: Any) -> None:
    text = client.get("/", HTTP_HOST="midori.example.jp").content.decode()
    assert "みどり町" in text and "板橋" not in text and "南中学校区" in text


def test_every_response_has_a_content_security_policy(client: Client, itabashi: Any) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode() and "style=" not in response.content.decode()
    assert "Content-Security-Policy" in client.get("/no-such-page/")


def test_unknown_page_is_a_japanese_404(client: Client, itabashi: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "ページが見つかりません" in response.content.decode()


def test_home_without_any_municipality_is_404(client: Client, db: Any) -> None:
    assert client.get("/").status_code == 404


def test_home_refuses_post(client: Client, itabashi: Any) -> None:
    assert client.post("/").status_code == 405
