from typing import Any

import pytest
from django.test import Client, override_settings

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.audit.models import AuditEntry
from sasaeai.test import PASSWORD, area, make_user, totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_page_is_japanese(client: Client, itabashi: Any) -> None:
    text = client.get(LOGIN).content.decode()
    assert "ログイン" in text and "パスワード" in text


def test_staff_signs_in_with_password_then_totp(client: Client, itabashi: Any) -> None:
    user = make_user("sc2@example.jp", Role.REGION_SC, "takashimadaira")
    response = sign_in(client, "SC2@example.jp")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(user)})
    assert response.status_code == 302
    assert "高島平" in client.get("/staff/").content.decode()
    assert AuditEntry.objects.filter(action="login", actor="sc2@example.jp").exists()


def test_staff_without_totp_must_set_it_up(client: Client, itabashi: Any) -> None:
    user = make_user("new@example.jp")
    Membership.objects.create(user=user, area=area("takashimadaira"), role=Role.REGION_SC)
    assert sign_in(client, "new@example.jp").status_code == 302
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    assert "2段階認証" in client.get(response["Location"], follow=True).content.decode()


def test_council_member_needs_no_totp(client: Client, itabashi: Any) -> None:
    make_user("member2@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")
    sign_in(client, "member2@example.jp")
    assert client.get("/staff/").status_code == 200


@override_settings(SASAEAI_REQUIRE_MFA=False)
def test_mfa_requirement_can_be_switched_off(client: Client, itabashi: Any) -> None:
    user = make_user("new@example.jp")
    Membership.objects.create(user=user, area=area("takashimadaira"), role=Role.REGION_SC)
    sign_in(client, "new@example.jp")
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_refused_in_japanese_and_logged(client: Client, itabashi: Any) -> None:
    make_user("m@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")
    response = sign_in(client, "m@example.jp", "wrong")
    assert response.status_code == 200
    assert "正しくありません" in response.content.decode()
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.result == "failed" and "m@example.jp" in entry.detail and entry.ip == "127.0.0.1"


def test_repeated_failures_lock_the_account(client: Client, itabashi: Any) -> None:
    make_user("m@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")
    for _ in range(5):
        sign_in(client, "m@example.jp", "wrong")
    response = sign_in(client, "m@example.jp")
    assert response.status_code == 429
    assert "ログインを一時的に止めています" in response.content.decode()
    assert AuditEntry.objects.filter(action="locked_out").exists()
    assert client.get("/staff/").status_code == 302


def test_sign_out_is_logged(client: Client, itabashi: Any) -> None:
    make_user("m@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")
    sign_in(client, "m@example.jp")
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor="m@example.jp").exists()
    assert client.get("/staff/").status_code == 302


def test_open_sign_up_is_closed(client: Client, itabashi: Any) -> None:
    data = {"email": "x@example.jp", "password1": "a-long-pass-1", "password2": "a-long-pass-1"}
    response = client.post("/accounts/signup/", data)
    assert "ユーザー登録を停止しています" in response.content.decode()
    assert not User.objects.filter(email="x@example.jp").exists()


def test_password_reset_mail_is_japanese(client: Client, itabashi: Any, mailoutbox: list) -> None:
    make_user("m@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")
    client.post("/accounts/password/reset/", {"email": "m@example.jp"})
    assert len(mailoutbox) == 1
    assert "パスワード" in mailoutbox[0].subject + mailoutbox[0].body


def test_a_recovery_code_signs_in_once(client: Client, itabashi: Any) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    make_user("sc2@example.jp", Role.REGION_SC, "takashimadaira")
    code = RecoveryCodes.activate(User.objects.get(email="sc2@example.jp")).get_unused_codes()[0]
    sign_in(client, "sc2@example.jp")
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "sc2@example.jp")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert client.get("/staff/").status_code == 302


def test_totp_set_up_page_shows_a_qr_code(client: Client, itabashi: Any) -> None:
    user = make_user("new@example.jp")
    Membership.objects.create(user=user, area=area("takashimadaira"), role=Role.REGION_SC)
    sign_in(client, "new@example.jp")
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    text = response.content.decode()
    assert 'src="data:image/svg+xml' in text and "QR コード" in text
