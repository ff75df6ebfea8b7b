"""Referral pages show personal data: no browser or proxy may keep a copy (Cache-Control:
no-store), so the back button on a shared computer does not bring a referral back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from sasaeai.referrals.lookups import is_private
from sasaeai.referrals.models import Status

from .builders import link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/"


def no_store(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def referrals(users: dict) -> dict[str, Any]:
    institution = make_institution()
    link_staff(users["institution"], institution)
    return {
        "draft": make_referral(institution, by=users["sc"]),
        "returned": make_referral(institution, by=users["sc"], status=Status.RETURNED),
    }


@pytest.mark.parametrize(
    ("page", "which"),
    [
        ("", None),
        ("new/", None),
        ("institutions/", None),
        ("{pk}/", "draft"),
        ("{pk}/edit/", "draft"),
        ("{pk}/print/", "draft"),
        ("{pk}/disclosure/", "draft"),
        ("{pk}/resend/", "returned"),
    ],
)
def test_every_referral_page_is_no_store(
    client: Client, users: dict, referrals: dict, page: str, which: str | None
) -> None:
    client.force_login(users["sc"])
    url = BASE + page.format(pk=referrals[which].pk if which else 0)
    response = client.get(url)
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_a_refused_form_shown_again_is_no_store(
    client: Client, users: dict, referrals: dict
) -> None:
    """A POST that fails validation answers with the detail page, personal data and all."""
    client.force_login(users["sc"])
    response = client.post(BASE + f"{referrals['draft'].pk}/erase/", {})
    assert response.status_code == 400 and no_store(response)


def test_the_institution_side_gets_no_store_too(
    client: Client, users: dict, referrals: dict
) -> None:
    client.force_login(users["institution"])
    response = client.get(BASE + f"{referrals['returned'].pk}/")
    assert response.status_code == 200 and no_store(response)


def test_no_referral_route_can_forget_it() -> None:
    """Every route of the staff referral pages, present and future, goes through the
    wrapper: a view added with a plain `path()` fails here."""
    patterns = get_resolver().namespace_dict["referrals_staff"][1].url_patterns
    views = [p for p in patterns if isinstance(p, URLPattern)]
    assert views and all(is_private(p.callback) for p in views), [
        p.name for p in views if not is_private(p.callback)
    ]
