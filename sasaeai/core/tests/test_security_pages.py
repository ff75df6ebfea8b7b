from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.middleware import SIGNED_IN_COOKIE
from sasaeai.accounts.models import Membership
from sasaeai.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_forged_csrf_gets_a_japanese_403_an_audit_entry_and_changes_nothing(
    users: dict,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    membership = Membership.objects.get(user=users["sc"])
    response = client.post(f"/staff/members/{membership.pk}/remove/")
    assert response.status_code == 403
    assert "送信できませんでした" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="csrf_failed", actor="admin@example.jp").exists()


def test_expired_session_explains_itself_and_is_logged(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    assert client.get("/staff/").status_code == 200
    assert SIGNED_IN_COOKIE in client.cookies
    client.session.flush()
    client.cookies.pop("sessionid")
    response = client.get("/staff/", follow=True)
    assert "ログインの有効期限が切れました" in response.content.decode()
    assert AuditEntry.objects.filter(action="session_expired").exists()


def test_session_expires_after_inactivity(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
