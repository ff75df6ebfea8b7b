"""In Chromium: a region SC writes a referral, is stopped until consent is recorded, sends
it; the おとしより相談センター receives and closes it; the SC sees the news. Every page is
photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.referrals.models import Outcome, Referral, Status
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import (
    SHOTS,
    check_page,
    chromium_page,
    sign_in,
    sign_out,
    staff_menu,
)

from .builders import link_staff, make_institution

pytestmark = pytest.mark.browser


def test_sc_sends_a_referral_and_the_institution_closes_it(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    staff = make_user("houkatsu@example.jp", Role.INSTITUTION_STAFF, "takashimadaira",
                      display_name="包括 相談員")  # fmt: skip
    institution = make_institution()
    make_institution("おとしより相談センター成増", covers=("narimasu",))
    link_staff(staff, institution)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, url, sc)
        page.get_by_role("main").get_by_role("link", name="つなぎ", exact=True).click()
        page.wait_for_url("**/staff/referrals/")
        page.get_by_role("link", name="つなぎを作る").click()
        page.get_by_label("地域").select_option(label="高島平")
        page.get_by_label("つなぐ先").select_option(index=1)
        page.get_by_label("相談の種類").select_option(label="認知症")
        page.get_by_label("ご本人の名前").fill("試験 太郎")
        page.get_by_label("ご本人の連絡先").fill("03-0000-1234")
        page.get_by_label("困っていること").fill("物忘れが増え、一人暮らしが心配です。")
        check_page(page, "referral-form", problems)
        page.get_by_role("button", name="下書きとして保存する").click()
        page.wait_for_url("**/staff/referrals/*/")
        assert "まだ送れません" in page.get_by_role("main").inner_text()
        page.get_by_role("button", name="おとしより相談センター高島平 へ送る").click()
        page.wait_for_url("**/staff/referrals/*/")
        assert "同意が記録されていないため送れません" in page.get_by_role("main").inner_text()
        check_page(page, "referral-draft", problems)
        page.get_by_role("link", name="内容を編集する").click()
        page.get_by_label("同意した人").select_option(label="本人")
        page.get_by_label("同意の方法").select_option(label="書面")
        page.get_by_label("同意を得た日").fill("2026-04-01")
        page.get_by_label("同意を得た目的").fill("おとしより相談センターに相談をつなぐため")
        page.get_by_role("button", name="下書きとして保存する").click()
        page.wait_for_url("**/staff/referrals/*/")
        page.get_by_role("button", name="おとしより相談センター高島平 へ送る").click()
        page.wait_for_url("**/staff/referrals/*/")
        assert "送付済み" in page.get_by_role("main").inner_text()
        check_page(page, "referral-sent", problems)
        sign_out(page)

        sign_in(page, url, staff)
        # The staff home (core) admits only council-side roles: institution staff go on from
        # the navigation's つなぎ link.
        staff_menu(page).get_by_role("link", name="つなぎ", exact=True).click()
        page.wait_for_url("**/staff/referrals/")
        assert "お知らせ 1 件" in page.get_by_role("main").inner_text()
        check_page(page, "referral-list-institution", problems)
        page.locator(".referral-list a").first.click()
        page.wait_for_url("**/staff/referrals/*/")
        assert "試験 太郎" in page.get_by_role("main").inner_text()
        page.get_by_label("次の状態").select_option(label="受理")
        page.get_by_role("button", name="記録する").click()
        page.wait_for_url("**/staff/referrals/*/")
        page.get_by_label("次の状態").select_option(label="終了")
        page.get_by_label("結果（終了のとき）").select_option(label="相談・助言で解決した")
        page.get_by_label("メモ").fill("ご家族と面談し、見守りの方法を助言しました。")
        page.get_by_role("button", name="記録する").click()
        page.wait_for_url("**/staff/referrals/*/")
        assert "終了" in page.locator(".timeline").inner_text()
        check_page(page, "referral-closed-institution", problems)
        sign_out(page)

        sign_in(page, url, sc)
        assert "お知らせ 2 件" not in page.get_by_role("main").inner_text()
        assert "お知らせ 1 件" in page.get_by_role("main").inner_text()
        page.get_by_role("main").get_by_role("link", name="つなぎ", exact=True).click()
        assert "お知らせあり" in page.locator(".referral-list").inner_text()
        page.locator(".referral-list a").first.click()
        page.get_by_role("link", name="閲覧の記録（開示請求用）").click()
        assert "houkatsu@example.jp" in page.get_by_role("main").inner_text()
        check_page(page, "referral-disclosure", problems)
        page.goto(url + "/institutions/")
        check_page(page, "institutions-public", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    referral = Referral.objects.get()
    assert referral.status == Status.CLOSED and referral.outcome == Outcome.ADVICE
    assert [e.by for e in referral.events.all()] == [sc, sc, staff, staff]
