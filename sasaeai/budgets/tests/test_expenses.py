"""Recording and changing expenses through the pages: money parsing, warnings, lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sasaeai.budgets import services
from sasaeai.budgets.models import Expense, ExpenseStatus

from .builders import YEAR, category, make_budget, make_expense

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/"


def data(**fields: Any) -> dict[str, Any]:
    values = {"spent_on": f"{YEAR}-06-20", "category": category("茶菓代").pk,
              "item": "6月定例会のお茶", "amount": "１，２００"}  # fmt: skip
    values.update(fields)
    return values


def test_sc_records_an_expense_with_full_width_amount(client: Client, users: dict) -> None:
    budget = make_budget(amount=50_000)
    client.force_login(users["sc"])
    page = client.get(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/").content.decode()
    assert "50,000" in page and "領収書" in page
    response = client.post(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/", data())
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount, expense.status, expense.created_by) == (1200, "pending", users["sc"])
    page = client.get(response["Location"]).content.decode()
    assert "支出を記録しました" in page and "6月定例会のお茶" in page and "承認待ち" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"amount": "1,000.5"}, "小数点は使えません"), ({"amount": "千円"}, "数字で入力"),
     ({"amount": "0"}, "1円以上"), ({"amount": ""}, "必須"),
     ({"spent_on": f"{YEAR + 1}-04-01"}, "2026年度（令和8年度）の中"),
     ({"item": ""}, "必須")],
)  # fmt: skip
def test_bad_input_is_explained_and_nothing_saved(
    client: Client, users: dict, fields: dict, message: str
) -> None:
    budget = make_budget()
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/", data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Expense.objects.exists()


def test_past_90_percent_asks_to_confirm_and_shows_balance_after(
    client: Client, users: dict
) -> None:
    budget = make_budget(amount=10_000)
    make_expense(budget, 8_000, ExpenseStatus.APPROVED)
    make_expense(budget, 500, ExpenseStatus.PENDING)
    client.force_login(users["sc"])
    new = f"{BASE}{budget.council_id}/{YEAR}/expenses/new/"
    page = client.post(new, data(amount="1,000")).content.decode()
    assert "この支出の後の残額（承認待ちを含む見込み）: <strong>500円" in page
    assert "予算の90%を超えます" in page and Expense.objects.count() == 2
    assert client.post(new, data(amount="1,000", confirmed="1")).status_code == 302
    assert Expense.objects.count() == 3


def test_past_100_percent_warns_more_strongly(client: Client, users: dict) -> None:
    budget = make_budget(amount=10_000)
    make_expense(budget, 9_000, ExpenseStatus.APPROVED)
    client.force_login(users["sc"])
    new = f"{BASE}{budget.council_id}/{YEAR}/expenses/new/"
    page = client.post(new, data(amount="3,000")).content.decode()
    assert "この支出で予算を超えます（2,000円不足）" in page
    assert "予算を超えることを確認して記録する" in page and Expense.objects.count() == 1


def test_htmx_preview_returns_only_the_balance(client: Client, users: dict) -> None:
    budget = make_budget(amount=10_000)
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/",
                           {"amount": "９５００"}, headers={"HX-Request": "true"})  # fmt: skip
    page = response.content.decode()
    assert "<html" not in page and "500円" in page and "90%を超えます" in page
    assert not Expense.objects.exists()


def test_edit_keeps_its_own_amount_out_of_the_warning(client: Client, users: dict) -> None:
    budget = make_budget(amount=10_000)
    expense = make_expense(budget, 8_000)
    client.force_login(users["sc"])
    response = client.post(f"{BASE}expenses/{expense.pk}/", data(amount="8,500"))
    assert response.status_code == 302  # 8,500 of 10,000: no warning
    expense.refresh_from_db()
    assert expense.amount == 8_500


def test_approved_expense_cannot_be_changed_or_deleted(client: Client, users: dict) -> None:
    expense = make_expense(make_budget(), 1_000, ExpenseStatus.APPROVED)
    client.force_login(users["sc"])
    response = client.post(f"{BASE}expenses/{expense.pk}/", data(amount="5"), follow=True)
    assert "変更できません" in response.content.decode()
    response = client.post(f"{BASE}expenses/{expense.pk}/delete/", follow=True)
    assert "承認済みの支出は削除できません" in response.content.decode()
    expense.refresh_from_db()
    assert expense.amount == 1_000


def test_no_budget_no_expenses(client: Client, users: dict) -> None:
    from sasaeai.councils.tests.builders import make_council

    council = make_council()
    client.force_login(users["sc"])
    page = client.get(f"{BASE}{council.pk}/{YEAR}/").content.decode()
    assert "予算はまだ決まっていません" in page and "支出を記録する" not in page
    assert client.get(f"{BASE}{council.pk}/{YEAR}/expenses/new/").status_code == 404


def test_closed_year_refuses_every_change_through_the_pages(client: Client, users: dict) -> None:
    budget = make_budget()
    pending = make_expense(budget)
    services.decide(pending, user=users["ward"], approve=True)
    rejected = make_expense(budget, 300, ExpenseStatus.REJECTED)
    services.close_year(budget, user=users["ward"])
    before = list(Expense.objects.values_list("pk", "amount", "status", "item"))
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/", data(), follow=True)
    assert "締め済みです" in response.content.decode()
    response = client.post(f"{BASE}expenses/{rejected.pk}/", data(), follow=True)
    assert "変更できません" in response.content.decode()
    response = client.post(f"{BASE}expenses/{rejected.pk}/delete/", follow=True)
    assert "締め済みです" in response.content.decode()
    client.force_login(users["ward"])
    response = client.post(f"{BASE}expenses/{rejected.pk}/decide/", {"decision": "approve"},
                           follow=True)  # fmt: skip
    assert "締め済みです" in response.content.decode()
    response = client.post(f"{BASE}{budget.council_id}/{YEAR}/budget/", {"amount": "1"},
                           follow=True)  # fmt: skip
    assert "締め済みです" in response.content.decode()
    assert list(Expense.objects.values_list("pk", "amount", "status", "item")) == before
    page = client.get(f"{BASE}{budget.council_id}/{YEAR}/").content.decode()
    assert "締めました" in page and "承認する" not in page and "支出を記録する" not in page
    assert budget.expenses.count() == 2 and dt.date.today()
