"""Where a person finds the report (活動報告): the staff home and the council's page lead to
it; the list shows each area's report of the 年度 and where it stands."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .builders import YEAR, make_report, make_year

pytestmark = pytest.mark.django_db


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_home_and_the_council_page_lead_to_the_report(users: dict) -> None:
    council = make_year()
    sc = as_(users["sc"])
    assert 'href="/staff/reports/"' in sc.get("/staff/").content.decode()
    page = sc.get(f"/staff/councils/{council.pk}/").content.decode()
    assert 'href="/staff/reports/takashimadaira/"' in page and "活動報告" in page
    response = sc.get(f"/staff/reports/takashimadaira/?year={YEAR}")
    assert response.status_code == 200 and "活動マップづくり" in response.content.decode()


def test_the_list_shows_each_area_and_its_state(users: dict) -> None:
    make_report()
    page = as_(users["ward"]).get(f"/staff/reports/?year={YEAR}").content.decode()
    assert page.count('class="card__title"') == 23  # the ward, 4 blocks, 18 regions
    assert "下書き" in page and "まだ書き始めていません" in page
    own = as_(users["sc"]).get(f"/staff/reports/?year={YEAR}").content.decode()
    assert own.count('class="card__title"') == 1
