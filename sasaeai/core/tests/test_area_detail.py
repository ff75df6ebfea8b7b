from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_region_page_shows_the_region_and_its_block(client: Client, itabashi: Any) -> None:
    response = client.get("/areas/takashimadaira/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "高島平地域" in text and "赤塚ブロック" in text


def test_block_page_lists_its_regions(client: Client, itabashi: Any) -> None:
    text = client.get("/areas/blk-akatsuka/").content.decode()
    for name in ("下赤塚", "成増", "徳丸", "高島平"):
        assert name in text


def test_other_municipality_area_is_404_on_this_site(client: Client, itabashi: Any) -> None:
    response = client.get("/areas/kita-jhs/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_each_municipality_sees_its_own_areas_by_host(client: Client, itabashi: Any) -> None:
    assert client.get("/areas/kita-jhs/", HTTP_HOST="midori.example.jp").status_code == 200
    assert client.get("/areas/takashimadaira/", HTTP_HOST="midori.example.jp").status_code == 404


def test_wrong_method_is_405(client: Client, itabashi: Any) -> None:
    assert client.post("/areas/takashimadaira/").status_code == 405
