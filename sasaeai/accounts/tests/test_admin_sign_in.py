"""The admin is reached only through the site's own sign-in, with two-step sign-in."""

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def superuser(totp: bool) -> User:
    user = User.objects.create_superuser("root@example.jp", PASSWORD)
    if totp:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        user.totp_secret = secret  # type: ignore[attr-defined]  # read by totp_code
    return user


def test_admin_login_takes_no_password(client: Client, itabashi: Any) -> None:
    superuser(totp=True)
    response = client.post("/admin/login/", {"username": "root@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_admin_opens_after_password_and_code(client: Client, itabashi: Any) -> None:
    user = superuser(totp=True)
    response = client.post("/accounts/login/", {"login": "root@example.jp", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(user)})
    assert client.get("/admin/").status_code == 200


def test_superuser_without_a_role_must_set_up_two_step(client: Client, itabashi: Any) -> None:
    superuser(totp=False)
    client.post("/accounts/login/", {"login": "root@example.jp", "password": PASSWORD})
    for path in ("/admin/", "/admin/accounts/user/", "/staff/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path


def test_staff_flag_alone_needs_two_step_too(client: Client, itabashi: Any) -> None:
    User.objects.create_user("desk@example.jp", PASSWORD, is_staff=True)
    client.post("/accounts/login/", {"login": "desk@example.jp", "password": PASSWORD})
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_signed_in_user_without_admin_rights_is_refused(client: Client, itabashi: Any) -> None:
    User.objects.create_user("resident@example.jp", PASSWORD)
    client.post("/accounts/login/", {"login": "resident@example.jp", "password": PASSWORD})
    assert client.get("/admin/login/").status_code == 403
