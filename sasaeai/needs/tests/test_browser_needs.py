"""In Chromium: a resident sends a need from a 390 px phone and gets a receipt number; the
region's SC sees it as 新着 and records that the council discussed it. Every page is
photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.needs.models import Need, Status
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser


def test_resident_sends_a_need_and_the_sc_marks_it_discussed(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    meeting = make_meeting(make_council(first_number=61), date=dt.date.today())
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="困っていることを知らせる").click()
        page.wait_for_url("**/needs/new/")
        page.get_by_role("button", name="送る").click()  # nothing filled in: told why
        assert "地域を選んでください。" in page.get_by_role("alert").inner_text()
        check_page(page, "need-form-errors", problems)
        page.get_by_label("お住まいの地域").select_option(label="高島平")
        page.get_by_label("買い物", exact=True).check()
        page.get_by_label("困っていることを教えてください").fill(
            "近くのスーパーが閉店し、重い物を買って帰れません。"
        )
        check_page(page, "need-form", problems)
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="送る").click()
        page.wait_for_url("**/needs/new/thanks/")
        receipt = page.locator(".receipt__number").inner_text()
        assert receipt.startswith(f"N-{dt.date.today().year}-0001-")
        check_page(page, "need-receipt", problems)

        sign_in(page, live_server.url, user)
        assert "新着 1 件" in page.get_by_role("main").inner_text()
        page.get_by_role("link", name="困りごと（地域ニーズ）").click()
        page.wait_for_url("**/staff/needs/")
        assert "新着" in page.locator(".need-list").inner_text()
        check_page(page, "needs-list", problems)
        page.get_by_role("link", name="買い物：近くのスーパーが閉店し").click()
        page.wait_for_url("**/staff/needs/*/")
        check_page(page, "need-detail-new", problems)
        page.get_by_label("次の状態").select_option(label="話し合った")
        page.get_by_label("話し合った会議").select_option(index=1)
        page.get_by_label("メモ").fill("会議で買い物の同行ができる人を探すことにした。")
        page.get_by_role("button", name="記録する").click()
        page.wait_for_url("**/staff/needs/*/")
        timeline = page.locator(".timeline").inner_text()
        assert "話し合った" in timeline and "第61回" in timeline and "高島 平子" in timeline
        check_page(page, "need-detail-discussed", problems)

        page.goto(live_server.url + "/staff/needs/gap/")
        check_page(page, "needs-gap", problems)
        page.goto(live_server.url + "/staff/needs/report/")
        check_page(page, "needs-report", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    need = Need.objects.get()
    assert need.receipt == receipt and need.status == Status.DISCUSSED
    assert need.meeting == meeting and need.seen_at is not None
