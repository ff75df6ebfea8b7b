"""Every need page: who may open it, who gets 404 (other region, other municipality),
who gets 403 (may see, may not change), and which methods are refused (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.needs.models import Status

from .builders import make_need

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/"


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    return {"need": make_need().pk, "closed": make_need(status=Status.CANNOT_BE_MET).pk}


# (url, capability needed to GET, methods allowed)
OBJECT_PAGES = [
    ("{need}/", "view", {"get"}),
    ("{need}/edit/", "edit", {"get", "post"}),
    ("{need}/status/", "edit", {"post"}),
    ("{closed}/reopen/", "edit", {"post"}),
]
PAGES = [
    ("", "view", {"get"}),
    ("new/", "edit", {"get", "post"}),
    ("report/", "view", {"get"}),
    ("gap/", "view", {"get"}),
    *OBJECT_PAGES,
]


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first_method(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_region_sc_block_and_ward_may_open(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    for who in ("sc", "block", "ward", "admin"):
        client.force_login(users[who])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        assert response.status_code in (200, 302, 400), (who, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "capability", "methods"), OBJECT_PAGES)
def test_other_region_and_other_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    for who in ("other_sc", "other_admin"):
        client.force_login(users[who])
        for method in methods:
            response = getattr(client, method)(url(pattern, objects))
            assert response.status_code == 404, (who, method, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_council_member_reads_but_may_not_change(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    client.force_login(users["member"])
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == (200 if capability == "view" else 403), pattern
    if "post" in methods:
        assert client.post(url(pattern, objects)).status_code == 403, pattern


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_wrong_method_is_refused(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    client.force_login(users["sc"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405, (method, pattern)


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_anonymous_is_sent_to_sign_in(
    client: Client, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_institution_staff_are_refused(client: Client, users: dict, objects: dict) -> None:
    client.force_login(users["institution"])
    assert client.get(BASE).status_code == 403
    assert client.get(url("{need}/", objects)).status_code == 403


def test_list_shows_only_needs_the_person_may_see(client: Client, users: dict) -> None:
    make_need("takashimadaira", what="高島平の困りごと")
    make_need("narimasu", what="成増の困りごと")
    make_need("itabashi", what="板橋の困りごと")
    make_need("kita-jhs", what="みどり町の困りごと")
    expected = {
        "sc": {"高島平"},
        "block": {"高島平", "成増"},
        "ward": {"高島平", "成増", "板橋"},
        "other_sc": {"板橋"},
        "other_admin": {"みどり町"},
    }
    for who, visible in expected.items():
        client.force_login(users[who])
        text = client.get(BASE).content.decode()
        seen = {n for n in ("高島平", "成増", "板橋", "みどり町") if f"{n}の困りごと" in text}
        assert seen == visible, who


def test_other_region_cannot_be_chosen_when_recording(client: Client, users: dict) -> None:
    from sasaeai.needs.models import Need
    from sasaeai.test import area

    from .builders import need_kind

    client.force_login(users["sc"])
    data = {"area": area("itabashi").pk, "kind": need_kind("shopping").pk, "what": "x",
            "source": "resident", "people_count": 1, "urgency": 2,
            "reported_on": "2026-04-01"}  # fmt: skip
    response = client.post(BASE + "new/", data)
    assert response.status_code == 200 and not Need.objects.exists()


def test_other_municipality_need_kind_cannot_be_chosen(client: Client, users: dict) -> None:
    from sasaeai.needs.models import Need
    from sasaeai.test import area

    from .builders import need_kind

    client.force_login(users["sc"])
    data = {"area": area("takashimadaira").pk, "kind": need_kind("shopping", "999991").pk,
            "what": "x", "source": "resident", "people_count": 1, "urgency": 2,
            "reported_on": "2026-04-01"}  # fmt: skip
    response = client.post(BASE + "new/", data)
    assert response.status_code == 200 and not Need.objects.exists()


def test_report_of_a_foreign_area_is_not_shown(client: Client, users: dict) -> None:
    from sasaeai.test import area

    make_need("itabashi", what="板橋の困りごと")
    client.force_login(users["sc"])
    for page in ("report/", "gap/"):
        response = client.get(BASE + page, {"area": area("itabashi").pk})
        text = response.content.decode()
        assert response.status_code == 200
        assert "高島平・" in text and "板橋・" not in text, page
