"""In Chromium: the region SC records an expense and sees the balance after it as the
amount is typed (a warning past 90 %); ward staff approve it. Pages are photographed at
390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.budgets.models import Expense, ExpenseStatus
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import YEAR, make_budget, make_expense

pytestmark = pytest.mark.browser


def test_sc_records_and_ward_approves(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    budget = make_budget(amount=100_000)
    make_expense(budget, 84_000, ExpenseStatus.APPROVED, item="チラシ印刷（年間）",
                 category_name="印刷費")  # fmt: skip
    make_expense(budget, 2_400, ExpenseStatus.PENDING, day=dt.date(YEAR, 6, 19),
                 item="6月定例会のお茶", category_name="茶菓代")  # fmt: skip
    make_expense(budget, 12_000, ExpenseStatus.REJECTED, day=dt.date(YEAR, 7, 2),
                 item="懇親会の飲食代", reason="飲食代は運営費の対象外です")  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    year_page = f"{url}/staff/budgets/{budget.council_id}/{YEAR}/"
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, url, sc)
        page.goto(f"{url}/staff/budgets/?year={YEAR}")
        check_page(page, "budgets-list", problems)
        page.get_by_role("link", name="支え合い会議高島平").click()
        page.wait_for_url(year_page)
        check_page(page, "budgets-year", problems)
        page.get_by_role("link", name="支出を記録する").click()
        page.get_by_label("支出日").fill(f"{YEAR}-07-16")
        page.get_by_label("費目").select_option(label="会場費")
        page.get_by_label("内容").fill("7月定例会の会場使用料")
        page.get_by_label("金額（円）").fill("５，０００")
        page.locator(".after__warning").wait_for()
        assert "8,600円" in page.locator("#after").inner_text()
        check_page(page, "budgets-expense-warning", problems)
        page.get_by_label("予算の90%を超えることを確認して記録する").check()
        page.get_by_role("button", name="記録する").click()
        page.wait_for_url(year_page)
        assert "支出を記録しました" in page.get_by_role("main").inner_text()
        sign_out(page)

        sign_in(page, url, ward)
        page.goto(year_page)
        page.get_by_role("button", name=re.compile("承認する.*7月定例会の会場使用料")).click()
        page.wait_for_url(year_page)
        check_page(page, "budgets-year-ward", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    assert Expense.objects.get(item="7月定例会の会場使用料").status == ExpenseStatus.APPROVED
