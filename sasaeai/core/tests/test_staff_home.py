from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
URL = "/staff/"


def test_staff_home_lists_the_areas_the_person_works_on(client: Client, users: dict) -> None:
    client.force_login(users["block"])
    text = client.get(URL).content.decode()
    assert "赤塚ブロック" in text and "ブロックのコーディネーター" in text


def test_menu_follows_the_role(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    text = client.get(URL).content.decode()
    assert "利用者と役割" in text and "操作記録" in text
    client.force_login(users["sc"])
    text = client.get(URL).content.decode()
    assert "利用者と役割" not in text and "操作記録" not in text


def test_person_without_a_role_gets_403(client: Client, itabashi: Any) -> None:
    from sasaeai.test import make_user

    client.force_login(make_user("nobody@example.jp"))
    response = client.get(URL)
    assert response.status_code == 403 and "この操作はできません" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client: Client, itabashi: Any) -> None:
    assert client.get(URL)["Location"] == "/accounts/login/?next=/staff/"


def test_post_is_405(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    assert client.post(URL).status_code == 405


def test_institution_staff_reach_their_home(client: Client, users: dict) -> None:
    client.force_login(users["institution"])
    response = client.get(URL)
    assert response.status_code == 200 and "高島平" in response.content.decode()


def test_the_home_leads_to_every_part_the_role_uses(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    text = client.get(URL).content.decode()
    for place in ("/staff/activities/", "/staff/councils/", "/staff/needs/", "/staff/support/",
                  "/staff/budgets/", "/staff/events/", "/staff/referrals/stats/",
                  "/staff/referrals/manage/"):  # fmt: skip
        assert f'href="{place}' in text, place
    client.force_login(users["sc"])
    text = client.get(URL).content.decode()
    assert 'href="/staff/referrals/"' in text and "/staff/referrals/manage/" not in text
    client.force_login(users["institution"])
    text = client.get(URL).content.decode()
    assert "/staff/budgets/" not in text and "/staff/events/" not in text
