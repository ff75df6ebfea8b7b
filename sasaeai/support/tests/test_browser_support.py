"""In Chromium at phone width: a region SC asks the ward for help; ward staff accept it and
reply; the SC sees the news. Every page is photographed at 390 and 1280 px and checked
with axe-core; the register and the month calendar are looked at too."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.support.models import Status, SupportRequest
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import council_of, make_booking, make_venue, next_week

pytestmark = pytest.mark.browser


def test_sc_asks_for_help_and_the_ward_accepts(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    council_of("takashimadaira")
    venue = make_venue()
    make_booking(venue, next_week(3), purpose="介護予防の体操教室")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, url, sc)
        page.goto(url + "/staff/support/")
        check_page(page, "support-list-empty", problems)
        page.get_by_role("link", name="応援を依頼する").click()
        page.wait_for_url("**/staff/support/new/")
        page.get_by_label("何の応援か").select_option(label="企画等の開催時のマンパワーの提供")
        page.get_by_label("依頼の内容（ひとことで）").fill("交流会の受付を手伝ってほしい")
        page.get_by_label("くわしい内容").fill("10月の交流会で、午後1時から3時まで3人ほど。")
        check_page(page, "support-new", problems)
        page.get_by_role("button", name="依頼を送る").click()
        page.wait_for_url("**/staff/support/*/")
        assert "受付待ち" in page.get_by_role("main").inner_text()
        check_page(page, "support-asked", problems)
        sign_out(page)

        sign_in(page, url, ward)
        page.goto(url + "/staff/support/")
        assert "依頼から 0 日" in page.get_by_role("main").inner_text()
        check_page(page, "support-list-ward", problems)
        page.get_by_role("link", name="交流会の受付を手伝ってほしい").click()
        page.wait_for_url("**/staff/support/*/")
        check_page(page, "support-ward-new", problems)
        page.get_by_role("button", name="引き受ける").click()
        page.wait_for_url("**/staff/support/*/")
        page.get_by_label("メッセージ").fill("担当します。当日の集合時間を教えてください。")
        page.get_by_role("button", name="メッセージを送る").click()
        page.wait_for_url("**/staff/support/*/#thread")
        assert "対応中" in page.get_by_role("main").inner_text()
        check_page(page, "support-ward-accepted", problems)
        page.goto(url + "/staff/support/venues/")
        check_page(page, "support-venues", problems)
        page.get_by_role("link", name=venue.name).click()
        check_page(page, "support-venue", problems)
        page.get_by_role("link", name="月のカレンダーで見る").click()
        check_page(page, "support-calendar", problems)
        sign_out(page)

        sign_in(page, url, sc)
        page.goto(url + "/staff/support/")
        assert "お知らせあり" in page.get_by_role("main").inner_text()
        page.get_by_role("link", name="交流会の受付を手伝ってほしい").click()
        text = page.get_by_role("main").inner_text()
        assert "担当します。当日の集合時間を教えてください。" in text and "引き受けました" in text
        check_page(page, "support-sc-news", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    req = SupportRequest.objects.get()
    assert (req.status, req.opened_by, req.accepted_by) == (Status.ACCEPTED, sc, ward)
