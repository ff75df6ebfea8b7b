"""In Chromium: an SC records a meeting from agenda to approved minutes; every page is
photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.councils.models import Meeting, MinutesStatus
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import make_council, make_member

pytestmark = pytest.mark.browser


def test_sc_records_a_meeting_to_approved_minutes(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    council = make_council(vision="独りじゃないよ 繋がりあって安心 高島平", first_number=61)
    make_member(council, "佐藤 和子", role="chair")
    make_member(council, "鈴木 清")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as page:
        sign_in(page, live_server.url, user)

        page.get_by_role("link", name="支え合い会議", exact=True).first.click()
        check_page(page, "councils-list", problems)
        page.get_by_role("link", name="支え合い会議高島平").click()
        check_page(page, "council-detail", problems)

        page.get_by_role("link", name="会議を作る").first.click()
        assert "第61回" in page.get_by_role("heading", level=1).inner_text()
        page.get_by_label("開催日").fill(dt.date.today().isoformat())
        page.get_by_label("開始時刻").fill("14:00")
        page.get_by_label("終了時刻").fill("16:00")
        page.get_by_role("button", name="作る").click()
        page.wait_for_url("**/staff/councils/meetings/*/")

        page.get_by_role("link", name="議題を追加する").click()
        page.get_by_label("議題").fill("見守りマップづくり")
        page.get_by_label("つなげる").check()
        check_page(page, "council-agenda-item", problems)
        page.get_by_role("button", name="保存する").click()

        page.get_by_role("link", name="出席を記録する").click()
        page.get_by_label("佐藤 和子").check()
        page.get_by_label("ゲスト（包括）").fill("2")
        page.get_by_role("button", name="記録する").click()
        assert "合計 3 人" in page.get_by_role("main").inner_text()

        page.get_by_role("link", name="議事録を書く").click()
        page.get_by_label("「見守りマップづくり」で話し合ったこと").fill("地図の案を確認した。")
        page.get_by_label("「見守りマップづくり」で決まったこと（1行に1つ）").fill("6月に配る")
        check_page(page, "council-minutes-edit", problems)
        page.get_by_role("button", name="保存する").click()

        page.get_by_label("会長").check()
        page.get_by_role("button", name="議事録を承認する").click()
        main = page.get_by_role("main").inner_text()
        assert "承認済み" in main and "地図の案を確認した。" in main
        check_page(page, "council-meeting", problems)

        page.get_by_role("link", name="印刷用のページ（A4）").click()
        page.emulate_media(media="print")
        check_page(page, "council-print", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    meeting = Meeting.objects.get(council=council)
    assert meeting.number == 61
    assert meeting.minutes.get().status == MinutesStatus.APPROVED
