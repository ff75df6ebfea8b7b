"""The public institution directory: public institutions of this site's municipality only."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.referrals.models import Status

from .builders import PERSON, make_institution, make_referral

pytestmark = pytest.mark.django_db


def test_public_list_and_detail(client: Client, users: dict) -> None:
    shown = make_institution(phone="03-1111-2222", helps_with="介護の相談")
    hidden = make_institution("非公開の機関", is_public=False)
    foreign = make_institution("みどり町の機関", covers=("minami-jhs",), municipality_code="999991")
    make_referral(shown, by=users["sc"], status=Status.SENT)
    page = client.get("/institutions/").content.decode()
    assert shown.name in page and hidden.name not in page and foreign.name not in page
    assert PERSON not in page
    detail = client.get(f"/institutions/{shown.pk}/")
    assert detail.status_code == 200 and "03-1111-2222" in detail.content.decode()
    assert client.get(f"/institutions/{hidden.pk}/").status_code == 404
    assert client.get(f"/institutions/{foreign.pk}/").status_code == 404
    other_site = client.get("/institutions/", HTTP_HOST="midori.example.jp").content.decode()
    assert foreign.name in other_site and shown.name not in other_site


def test_detail_shows_the_map_when_there_is_a_point(client: Client, users: dict) -> None:
    placed = make_institution(latitude=35.7891, longitude=139.6612)
    unplaced = make_institution("場所のない機関")
    page = client.get(f"/institutions/{placed.pk}/").content.decode()
    assert 'id="map"' in page and "leaflet/leaflet.js" in page and "js/map.js" in page
    assert '"lat": 35.7891' in page and "cyberjapandata.gsi.go.jp" in page
    page = client.get(f"/institutions/{unplaced.pk}/").content.decode()
    assert 'id="map"' not in page and "leaflet" not in page
