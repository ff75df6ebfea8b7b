from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db
URL = "/staff/members/"


def grant(client: Client, **data: str) -> Any:
    return client.post(URL, {"role": Role.REGION_SC, "display_name": "", **data})


def test_admin_sees_memberships_of_their_municipality_only(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    text = client.get(URL).content.decode()
    assert "sc@example.jp" in text and "other_admin@example.jp" not in text


def test_admin_gives_a_new_person_a_role(client: Client, users: dict, itabashi: Any) -> None:
    client.force_login(users["admin"])
    region = itabashi.__class__.objects.get(code="narimasu")
    response = grant(client, email="New@Example.jp", area=str(region.pk))
    assert response.status_code == 302
    user = User.objects.get(email="new@example.jp")
    assert not user.has_usable_password() and user.municipality == itabashi
    assert Membership.objects.filter(user=user, area=region, role=Role.REGION_SC).exists()
    assert "成増" in client.get(URL).content.decode()


def test_area_of_another_municipality_is_refused(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    foreign = Membership.objects.get(user=users["other_admin"]).area
    response = grant(client, email="x@example.jp", area=str(foreign.pk))
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not User.objects.filter(email="x@example.jp").exists()


def test_email_of_another_municipality_is_refused(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    region = Membership.objects.get(user=users["sc"]).area
    response = grant(client, email="other_admin@example.jp", area=str(region.pk))
    assert "このメールアドレスは登録できません" in response.content.decode()
    assert users["other_admin"].memberships.count() == 1


def test_roles_without_manage_members_get_403(client: Client, users: dict) -> None:
    for who in ("ward", "sc", "block"):
        client.force_login(users[who])
        assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client, users: dict) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_admin_removes_a_role(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    membership = Membership.objects.get(user=users["sc"])
    assert client.post(f"{URL}{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_foreign_municipality_role_is_404(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    foreign = Membership.objects.get(user=users["other_admin"])
    assert client.post(f"{URL}{foreign.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_remove_needs_post(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    membership = Membership.objects.get(user=users["sc"])
    assert client.get(f"{URL}{membership.pk}/remove/").status_code == 405
    assert client.put(URL).status_code == 405
