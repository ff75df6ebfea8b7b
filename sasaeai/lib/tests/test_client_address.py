"""Behind the reverse proxy, lockout, rate limits and the audit log see the client's address,
believed only from the proxies the settings trust."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.audit.models import AuditEntry
from sasaeai.lib.client_address import client_address
from sasaeai.test import PASSWORD, make_user

PROXY = ("127.0.0.1",)


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),
        # What the client wrote before our proxy's entry is not believed.
        ("127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "not-an-address, 203.0.113.5", "203.0.113.5"),
        # A load balancer in front of nginx, both trusted.
        ("10.0.0.2", "203.0.113.5, 10.0.0.1", "203.0.113.5"),
        # Not from a trusted proxy: the header is the client's own word.
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(remote: str, forwarded: str, client: str) -> None:
    assert client_address(remote, forwarded, ("127.0.0.1", "10.0.0.0/8")) == client


def proxied(address: str) -> Client:
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def sign_in(client: Client, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": "m@example.jp", "password": password})


@pytest.fixture
def member(itabashi: Any) -> Any:
    return make_user("m@example.jp", Role.COUNCIL_MEMBER, "takashimadaira")


def test_a_stranger_cannot_lock_the_member_out(settings: Any, member: Any) -> None:
    settings.SASAEAI_TRUSTED_PROXIES = list(PROXY)
    stranger = proxied("203.0.113.66")
    for _ in range(6):
        sign_in(stranger, "wrong")
    assert sign_in(stranger).status_code == 429  # the stranger's address is locked…
    response = sign_in(proxied("198.51.100.20"))
    assert response.status_code == 302  # …the member at home signs in
    entry = AuditEntry.objects.filter(action="login_failed").first()
    assert entry is not None and entry.ip == "203.0.113.66"
    assert AuditEntry.objects.get(action="login").ip == "198.51.100.20"


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Any, member: Any) -> None:
    settings.SASAEAI_TRUSTED_PROXIES = []
    for n in range(5):
        sign_in(proxied(f"203.0.113.{n}"), "wrong")
    assert sign_in(proxied("198.51.100.20")).status_code == 429
    failures = AuditEntry.objects.filter(action="login_failed")
    assert set(failures.values_list("ip", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_the_public_form_limit_is_per_client(settings: Any, itabashi: Any) -> None:
    settings.SASAEAI_TRUSTED_PROXIES = list(PROXY)
    form = {"area": "takashimadaira", "kind": "shopping", "what": "重い物を運べず困っています。"}
    one = proxied("203.0.113.5")
    for _ in range(5):
        assert one.post("/needs/new/", form).status_code == 302
    assert one.post("/needs/new/", form).status_code == 429
    assert proxied("198.51.100.20").post("/needs/new/", form).status_code == 302
