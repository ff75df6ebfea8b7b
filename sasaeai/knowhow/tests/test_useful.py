"""「役に立った」: once per person, a double tap counts once; htmx swaps the button."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import at_once, make_user

from .. import services
from ..models import CaseStatus, UsefulMark
from .builders import make_case

pytestmark = pytest.mark.django_db


def test_a_double_tap_counts_once(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], status=CaseStatus.PUBLISHED)
    client.force_login(users["other_sc"])
    for _tap in range(2):
        response = client.post(f"/staff/knowhow/cases/{case.pk}/useful/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "役に立った: 1 人" in response.content.decode()
    case.refresh_from_db()
    assert case.useful_count == 1 and UsefulMark.objects.count() == 1
    client.force_login(users["member"])
    client.post(f"/staff/knowhow/cases/{case.pk}/useful/")
    case.refresh_from_db()
    assert case.useful_count == 2
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "「役に立った」を送りました。" in page


def test_a_draft_cannot_be_marked(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"])
    client.force_login(users["sc"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/useful/").status_code == 403
    client.force_login(users["other_sc"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/useful/").status_code == 404
    assert not UsefulMark.objects.exists()


def test_another_town_cannot_mark(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], status=CaseStatus.PUBLISHED)
    client.force_login(users["other_admin"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/useful/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_taps_at_the_same_moment_count_once(itabashi: object) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("runs on PostgreSQL only: SQLite's test database is not shared between threads")
        return
    sc = make_user("sc@example.jp", "region_sc", "takashimadaira")
    reader = make_user("reader@example.jp", "region_sc", "itabashi")
    case = make_case(by=sc, status=CaseStatus.PUBLISHED)
    at_once(4, lambda: services.mark_useful(case, reader))
    case.refresh_from_db()
    assert case.useful_count == 1
