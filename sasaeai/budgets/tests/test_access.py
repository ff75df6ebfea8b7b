"""Every budget page: who may open it, who gets 404 (other region, other municipality),
who gets 403 (may see, may not act), and which methods are refused (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.budgets.models import Budget, ExpenseStatus
from sasaeai.councils.tests.builders import make_council

from .builders import YEAR, category, make_budget, make_expense

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/"
SUPERVISORS, RECORDERS = ("block", "ward", "admin"), ("sc", "block", "ward", "admin")


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    budget = make_budget()
    return {
        "council": budget.council_id,
        "year": YEAR,
        "expense": make_expense(budget).pk,
        "receipt": make_expense(budget, receipt="x.pdf", receipt_type="application/pdf").pk,
        "category": category().pk,
    }


# (url, who may open it, methods allowed)
PAGES = [
    ("{council}/{year}/", "view", {"get"}),
    ("{council}/{year}/ledger.xlsx", "view", {"get"}),
    ("{council}/{year}/budget/", "supervise", {"get", "post"}),
    ("{council}/{year}/close/", "supervise", {"get", "post"}),
    ("{council}/{year}/expenses/new/", "record", {"get", "post"}),
    ("expenses/{expense}/", "record", {"get", "post"}),
    ("expenses/{expense}/delete/", "record", {"post"}),
    ("expenses/{expense}/decide/", "supervise", {"post"}),
]
ALLOWED = {
    "view": ("member", *RECORDERS),
    "record": RECORDERS,
    "supervise": SUPERVISORS,
}


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first_method(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_allowed_roles_may_open(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    for name in ALLOWED[who]:
        if "delete" in pattern:  # each deletes an expense of their own
            objects["expense"] = make_expense(Budget.objects.get()).pk
        client.force_login(users[name])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        assert response.status_code in (200, 302), (name, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_others_in_the_municipality_are_refused(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    """Those who see the budget but may not act get 403; nobody else sees it at all."""
    for name in ("member", "sc", "institution"):
        if name in ALLOWED[who]:
            continue
        client.force_login(users[name])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        expected = (403, 404) if name == "institution" else (403,)
        assert response.status_code in expected, (name, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_other_region_and_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    for name in ("other_sc", "other_admin"):
        client.force_login(users[name])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        assert response.status_code in (403, 404), (name, pattern, response.status_code)
        if name == "other_admin" or who != "supervise":
            assert response.status_code == 404, (name, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_anonymous_is_sent_to_sign_in(
    client: Client, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("pattern", "who", "methods"), PAGES)
def test_wrong_method_is_405(
    client: Client, users: dict, objects: dict, pattern: str, who: str, methods: set[str]
) -> None:
    client.force_login(users["ward"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405


def test_region_sc_cannot_approve_own_region(client: Client, users: dict) -> None:
    budget = make_budget()
    expense = make_expense(budget)
    client.force_login(users["sc"])
    response = client.post(f"{BASE}expenses/{expense.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PENDING


def test_block_council_is_approved_by_ward_not_by_the_block(client: Client, users: dict) -> None:
    budget = make_budget(make_council("blk-akatsuka"))
    expense = make_expense(budget)
    client.force_login(users["block"])
    assert (
        client.post(f"{BASE}expenses/{expense.pk}/decide/", {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(users["ward"])
    client.post(f"{BASE}expenses/{expense.pk}/decide/", {"decision": "approve"})
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED


def test_list_shows_only_own_councils(client: Client, users: dict) -> None:
    make_budget(make_council("takashimadaira"))
    make_budget(make_council("itabashi"))
    client.force_login(users["sc"])
    page = client.get(f"{BASE}?year={YEAR}").content.decode()
    assert "支え合い会議高島平" in page and "支え合い会議板橋" not in page
    client.force_login(users["ward"])
    page = client.get(f"{BASE}?year={YEAR}").content.decode()
    assert "支え合い会議高島平" in page and "支え合い会議板橋" in page
    client.force_login(users["other_admin"])
    page = client.get(f"{BASE}?year={YEAR}").content.decode()
    assert "支え合い会議高島平" not in page


def test_categories_page_is_for_municipality_staff(client: Client, users: dict) -> None:
    pk = category().pk
    for name, status in [("ward", 200), ("admin", 200), ("block", 403), ("sc", 403),
                         ("member", 403), ("other_admin", 404)]:  # fmt: skip
        client.force_login(users[name])
        page = f"{BASE}categories/{pk}/" if name == "other_admin" else f"{BASE}categories/"
        assert client.get(page).status_code == status, name
    client.logout()
    assert client.get(f"{BASE}categories/").status_code == 302
