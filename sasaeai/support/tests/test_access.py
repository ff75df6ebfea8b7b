"""Every support page: who may open it, who gets 404 (other region, other municipality),
who gets 403 (may see, may not act), anonymous → sign-in, and refused methods (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.support.models import Venue

from .builders import make_booking, make_request, make_venue

pytestmark = pytest.mark.django_db
BASE = "/staff/support/"


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    req = make_request(by=users["sc"])
    venue = make_venue()
    return {"req": req.pk, "venue": venue.pk, "booking": make_booking(venue).pk}


# (url, who acts there: "view", "council", "ward", methods allowed)
PAGES = [
    ("", "view", {"get"}),
    ("new/", "council", {"get", "post"}),
    ("{req}/", "view", {"get"}),
    ("{req}/messages/", "either", {"post"}),
    ("{req}/status/", "ward", {"post"}),
    ("venues/", "view", {"get"}),
    ("venues/new/", "ward", {"get", "post"}),
    ("venues/{venue}/", "view", {"get"}),
    ("venues/{venue}/edit/", "ward", {"get", "post"}),
    ("venues/{venue}/book/", "ward", {"post"}),
    ("bookings/{booking}/cancel/", "ward", {"post"}),
    ("calendar/", "view", {"get"}),
]
SPECIFIC = [p for p in PAGES if "{" in p[0]]


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first_method(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_anonymous_is_sent_to_sign_in(
    client: Client, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_who_may_open_each_page(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    allowed = {
        "view": {"sc", "member", "block", "ward", "admin"},
        "council": {"sc", "member"},
        "either": {"sc", "member", "block", "ward", "admin"},
        "ward": {"block", "ward", "admin"},
    }[who]
    venue = Venue.objects.get(pk=objects["venue"])
    for hour, name in enumerate(("sc", "member", "block", "ward", "admin"), start=13):
        client.force_login(users[name])
        # A cancelled booking is gone: each person tries their own.
        mine = {**objects, "booking": make_booking(venue, start=hour, end=hour + 1).pk}
        response = getattr(client, first_method(methods))(url(pattern, mine))
        if name in allowed:
            assert response.status_code in (200, 302, 400), (name, pattern, response.status_code)
        else:
            assert response.status_code == 403, (name, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "who", "methods"), SPECIFIC)
def test_other_region_and_other_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    for name in ("other_sc", "other_admin"):
        client.force_login(users[name])
        for method in methods:
            response = getattr(client, method)(url(pattern, objects))
            assert response.status_code == 404, (name, method, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_wrong_method_is_refused(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    client.force_login(users["ward"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405, (method, pattern)


def test_institution_staff_are_refused(client: Client, users: dict, objects: dict) -> None:
    client.force_login(users["institution"])
    assert client.get(BASE).status_code == 403
    assert client.get(url("{req}/", objects)).status_code == 403


def test_lists_show_only_what_the_person_may_see(client: Client, users: dict) -> None:
    from .builders import council_of

    make_request(council_of("takashimadaira"), title="高島平の依頼")
    make_request(council_of("narimasu"), title="成増の依頼")
    make_request(council_of("itabashi"), title="板橋の依頼")
    expected = {
        "sc": {"高島平の依頼"},
        "member": {"高島平の依頼"},
        "block": {"高島平の依頼", "成増の依頼"},
        "ward": {"高島平の依頼", "成増の依頼", "板橋の依頼"},
        "other_sc": {"板橋の依頼"},
        "other_admin": set(),
    }
    for who, visible in expected.items():
        client.force_login(users[who])
        text = client.get(BASE).content.decode()
        shown = {t for t in ("高島平の依頼", "成増の依頼", "板橋の依頼") if t in text}
        assert shown == visible, who
