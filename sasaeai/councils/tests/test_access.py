"""Every council page: who may open it, who gets 404 (other region, other municipality),
who gets 403 (may see, may not change), and which methods are refused (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.councils.models import MinutesStatus

from .builders import make_action, make_council, make_item, make_meeting, make_member, make_minutes

pytestmark = pytest.mark.django_db
BASE = "/staff/councils/"


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    council = make_council()
    meeting = make_meeting(council)
    minutes = make_minutes(meeting, status=MinutesStatus.APPROVED)
    return {
        "council": council.pk,
        "meeting": meeting.pk,
        "member": make_member(council).pk,
        "item": make_item(meeting).pk,
        "action": make_action(meeting).pk,
        "minutes": minutes.pk,
    }


# (url, object, capability needed to GET, methods allowed)
PAGES = [
    ("{council}/", "council", "view", {"get"}),
    ("{council}/edit/", "council", "edit", {"get", "post"}),
    ("{council}/members/", "council", "view", {"get", "post"}),
    ("{council}/actions/", "council", "view", {"get"}),
    ("{council}/meetings/", "council", "view", {"get"}),
    ("{council}/meetings/new/", "council", "edit", {"get", "post"}),
    ("{council}/series/new/", "council", "edit", {"get", "post"}),
    ("members/{member}/", "member", "edit", {"get", "post"}),
    ("meetings/{meeting}/", "meeting", "view", {"get"}),
    ("meetings/{meeting}/edit/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/agenda/new/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/attendance/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/actions/new/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/minutes/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/summary/", "meeting", "edit", {"get", "post"}),
    ("meetings/{meeting}/print/", "meeting", "view", {"get"}),
    ("agenda/{item}/", "item", "edit", {"get", "post"}),
    ("actions/{action}/", "action", "edit", {"get", "post"}),
    ("actions/{action}/status/", "action", "edit", {"post"}),
    ("minutes/{minutes}/", "minutes", "view", {"get"}),
    ("minutes/{minutes}/approve/", "minutes", "edit", {"post"}),
    ("minutes/{minutes}/correct/", "minutes", "edit", {"post"}),
]


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first_method(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "kind", "capability", "methods"), PAGES)
def test_region_sc_block_and_ward_may_open(
    client: Client, users: dict, objects: dict, pattern: str, kind: str, capability: str,
    methods: set[str],
) -> None:  # fmt: skip
    for who in ("sc", "block", "ward", "admin"):
        client.force_login(users[who])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        assert response.status_code in (200, 302), (who, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "kind", "capability", "methods"), PAGES)
def test_other_region_and_other_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, kind: str, capability: str,
    methods: set[str],
) -> None:  # fmt: skip
    for who in ("other_sc", "other_admin"):
        client.force_login(users[who])
        for method in methods:
            response = getattr(client, method)(url(pattern, objects))
            assert response.status_code == 404, (who, method, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "kind", "capability", "methods"), PAGES)
def test_council_member_reads_but_may_not_change(
    client: Client, users: dict, objects: dict, pattern: str, kind: str, capability: str,
    methods: set[str],
) -> None:  # fmt: skip
    client.force_login(users["member"])
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == (200 if capability == "view" else 403), pattern
    if "post" in methods:
        assert client.post(url(pattern, objects)).status_code == 403, pattern


@pytest.mark.parametrize(("pattern", "kind", "capability", "methods"), PAGES)
def test_wrong_method_is_refused(
    client: Client, users: dict, objects: dict, pattern: str, kind: str, capability: str,
    methods: set[str],
) -> None:  # fmt: skip
    client.force_login(users["sc"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405, (method, pattern)


@pytest.mark.parametrize(("pattern", "kind", "capability", "methods"), PAGES)
def test_anonymous_is_sent_to_sign_in(
    client: Client, objects: dict, pattern: str, kind: str, capability: str, methods: set[str]
) -> None:
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_institution_staff_are_refused(client: Client, users: dict, objects: dict) -> None:
    client.force_login(users["institution"])
    assert client.get(BASE).status_code == 403
    assert client.get(url("meetings/{meeting}/", objects)).status_code == 403


def test_list_shows_only_councils_the_person_may_see(client: Client, users: dict) -> None:
    for code in ("takashimadaira", "narimasu", "itabashi", "blk-akatsuka", "131199"):
        make_council(code)
    expected = {
        "sc": {"支え合い会議高島平"},
        "block": {"支え合い会議高島平", "支え合い会議成増", "支え合い会議赤塚ブロック"},
        "ward": {"支え合い会議高島平", "支え合い会議成増", "支え合い会議赤塚ブロック",
                 "支え合い会議板橋", "支え合い会議板橋区"},
        "other_admin": set(),
    }  # fmt: skip
    names = {
        "支え合い会議高島平", "支え合い会議成増", "支え合い会議赤塚ブロック", "支え合い会議板橋",
        "支え合い会議板橋区",
    }  # fmt: skip
    for who, visible in expected.items():
        client.force_login(users[who])
        text = client.get(BASE).content.decode()
        assert {n for n in names if f">{n}</a>" in text} == visible, who
