"""In Chromium: the region's SC opens the annual report from the staff home, writes はじめに
with the year's facts beside the form, saves a draft, and sends it for review; the block SC
reads it from the council's page and approves it. Every page is photographed at 390 and 1280
px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.reports.models import Report, ReportStatus
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import YEAR, make_year

pytestmark = pytest.mark.browser


def test_the_sc_writes_beside_the_facts_and_sends_for_review(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    block = make_user("block@example.jp", Role.BLOCK_SC, "blk-akatsuka", display_name="赤塚 太郎")
    council = make_year()
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, base, sc)
        page.get_by_role("link", name="活動報告（年度）").click()
        page.wait_for_url("**/staff/reports/*")
        page.goto(f"{base}/staff/reports/?year={YEAR}")
        check_page(page, "reports-index", problems)
        page.get_by_role("link", name="高島平 活動報告").click()
        page.wait_for_url(f"**/staff/reports/takashimadaira/{YEAR}/")
        check_page(page, "reports-empty-draft", problems)
        page.get_by_role("link", name="書き始める").click()
        facts = page.get_by_role("complementary", name="この年度の記録")
        assert "活動マップづくり" in facts.inner_text()
        page.get_by_label("はじめに").fill("高島平では、毎月の会議で地域の活動を話し合いました。")
        check_page(page, "reports-write", problems)
        page.get_by_role("button", name="下書きを保存する").click()
        page.wait_for_url(f"**/staff/reports/takashimadaira/{YEAR}/")
        main = page.get_by_role("main").inner_text()
        assert "下書きを保存しました。" in main and "毎月の会議で地域の活動" in main
        page.get_by_role("button", name="確認をお願いする").click()
        page.wait_for_url(f"**/staff/reports/takashimadaira/{YEAR}/")
        assert "確認をお願いしました。" in page.get_by_role("main").inner_text()
        check_page(page, "reports-sent", problems)
        sign_out(page)

        sign_in(page, base, block)
        page.goto(f"{base}/staff/councils/{council.pk}/")
        page.get_by_role("link", name="活動報告", exact=True).click()
        page.goto(f"{base}/staff/reports/takashimadaira/{YEAR}/")
        check_page(page, "reports-review", problems)
        page.get_by_role("button", name="承認する").click()
        page.wait_for_url(f"**/staff/reports/takashimadaira/{YEAR}/")
        assert "承認しました。" in page.get_by_role("main").inner_text()
        check_page(page, "reports-approved", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    report = Report.objects.get()
    assert report.status == ReportStatus.APPROVED
    assert report.versions.get().intro.startswith("高島平では")
