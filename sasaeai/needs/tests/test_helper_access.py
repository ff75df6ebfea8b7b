"""Every helper, matching and 仲間募集 staff page: who may open it, who gets 404 (other region,
other municipality), who gets 403, which methods are refused (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs.models import Introduction, PeerCall

from .builders import make_helper, make_need

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/"


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    need = make_need()
    activity = make_activity("高島平買い物クラブ", kinds=("shopping",))
    helper = make_helper()
    call = PeerCall.objects.create(activity=activity, looking_for="helpers", what="運転できる方")
    intro = Introduction.objects.create(area=need.area, need=need, activity=activity)
    return {"need": need.pk, "helper": helper.pk, "call": call.pk, "activity": activity.pk,
            "intro": intro.pk}  # fmt: skip


# (url, methods allowed); every one needs EDIT except the peer list
OBJECT_PAGES = [
    ("{need}/matches/", {"get"}),
    ("{need}/introduce/", {"post"}),
    ("introductions/{intro}/outcome/", {"post"}),
    ("helpers/{helper}/", {"get"}),
    ("helpers/{helper}/edit/", {"get", "post"}),
    ("helpers/{helper}/remove/", {"post"}),
    ("helpers/{helper}/introduce/", {"post"}),
    ("peers/activity/{activity}/new/", {"get", "post"}),
    ("peers/{call}/edit/", {"get", "post"}),
    ("peers/{call}/delete/", {"post"}),
]
PAGES = [("helpers/", {"get"}), ("helpers/new/", {"get", "post"}), *OBJECT_PAGES]


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "methods"), PAGES)
def test_region_sc_block_and_ward_may_open(
    client: Client, users: dict, objects: dict, pattern: str, methods: set[str]
) -> None:
    for who in ("sc", "block", "ward", "admin"):
        if "delete" in pattern:  # each deletes its own
            objects["call"] = PeerCall.objects.create(activity_id=objects["activity"]).pk
        client.force_login(users[who])
        response = getattr(client, first(methods))(url(pattern, objects))
        assert response.status_code in (200, 302, 400), (who, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "methods"), OBJECT_PAGES)
def test_other_region_and_other_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, methods: set[str]
) -> None:
    for who in ("other_sc", "other_admin"):
        client.force_login(users[who])
        for method in methods:
            response = getattr(client, method)(url(pattern, objects))
            assert response.status_code == 404, (who, method, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "methods"), PAGES)
def test_council_member_may_not_open_helper_pages(
    client: Client, users: dict, objects: dict, pattern: str, methods: set[str]
) -> None:
    client.force_login(users["member"])
    assert getattr(client, first(methods))(url(pattern, objects)).status_code == 403, pattern


@pytest.mark.parametrize(("pattern", "methods"), PAGES)
def test_wrong_method_is_refused(
    client: Client, users: dict, objects: dict, pattern: str, methods: set[str]
) -> None:
    client.force_login(users["sc"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405, (method, pattern)


def test_peer_list_for_staff(client: Client, users: dict, objects: dict) -> None:
    client.force_login(users["member"])
    assert "運転できる方" in client.get(BASE + "peers/").content.decode()
    client.force_login(users["other_sc"])
    assert "運転できる方" not in client.get(BASE + "peers/").content.decode()
    assert client.post(BASE + "peers/").status_code == 405


def test_helper_contact_is_not_shown_to_other_regions(client: Client, users: dict) -> None:
    make_helper(name="蓮根 太郎", contact="090-0000-1111")
    client.force_login(users["other_sc"])
    assert "090-0000-1111" not in client.get(BASE + "helpers/").content.decode()
    client.force_login(users["sc"])
    text = client.get(BASE + "helpers/").content.decode()
    assert "蓮根 太郎" in text


def test_sc_cannot_introduce_a_helper_of_another_region(client: Client, users: dict) -> None:
    need = make_need()
    other = make_helper("itabashi")
    client.force_login(users["sc"])
    data = {"helper": other.pk, "on": "2026-01-05", "outcome": "pending"}
    client.post(f"{BASE}{need.pk}/introduce/", data)
    assert not Introduction.objects.exists()


def test_a_near_regions_helper_is_suggested_by_number_only(client: Client, users: dict) -> None:
    need = make_need(kind="shopping")
    neighbour = make_helper("narimasu", name="成増 次郎", contact="090-2222-3333")
    client.force_login(users["sc"])  # the SC of 高島平 only
    text = client.get(f"{BASE}{need.pk}/matches/").content.decode()
    assert neighbour.number in text and "ほかの地域の担い手です" in text
    assert "成増 次郎" not in text and "090-2222-3333" not in text
    client.force_login(users["block"])  # the block SC edits both regions
    assert "成増 次郎" in client.get(f"{BASE}{need.pk}/matches/").content.decode()
