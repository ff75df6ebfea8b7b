"""In Chromium: the region's SC adds a goal with two milestones, ticks one from the minutes of
the meeting where it was reported, and sees the climber move up the mountain; the ward sees
every region's mountain and a resident the public goals. Every page is photographed at 390
and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.councils.tests.builders import make_meeting, make_minutes
from sasaeai.progress.models import Milestone
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import make_goal

pytestmark = pytest.mark.browser


def test_the_sc_climbs_a_step_reported_in_the_minutes(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区 一郎")
    make_goal(title="地域の活動を一覧にする", public=True, milestones=("活動を聞き取る",))
    minutes = make_minutes(make_meeting())
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, base, sc)
        page.get_by_role("link", name="地域の進み具合").click()
        page.wait_for_url("**/staff/progress/takashimadaira/")
        climber = page.locator("svg .climber").get_attribute("transform")
        check_page(page, "progress-region", problems)
        page.get_by_role("link", name="目標を加える").click()
        page.locator("#id_title").fill("担い手募集の説明会を開く")
        page.locator("#id_why").fill("手伝いたい人に声が届いていない。")
        page.locator("#id_initiative").select_option(label="仲間探し（活動の仲間づくりの支援）")
        page.locator("#id_stage").select_option(label="② ニーズと担い手の掘り起こし")
        check_page(page, "progress-goal-form", problems)
        page.get_by_role("button", name="保存する").click()
        page.wait_for_url("**/staff/progress/goals/*/")
        for title in ("チラシをつくる", "説明会を開く"):
            page.locator("#id_title").fill(title)
            page.get_by_role("button", name="加える").click()
            page.wait_for_load_state()
        assert page.get_by_role("listitem").filter(has_text="説明会を開く").count() == 1
        check_page(page, "progress-goal", problems)

        page.goto(f"{base}/staff/councils/minutes/{minutes.pk}/")
        page.get_by_role("button", name="「チラシをつくる」に着いた").click()
        page.wait_for_url(f"**/staff/councils/minutes/{minutes.pk}/")
        assert "この会議で報告した通過点" in page.get_by_role("main").inner_text()
        check_page(page, "progress-minutes", problems)

        page.goto(f"{base}/staff/progress/takashimadaira/")
        assert page.locator("svg .climber").get_attribute("transform") != climber
        assert page.locator("svg .station--reached").count() == 1
        assert "通過点 3 のうち 1 に着きました" in page.locator("figcaption").inner_text()
        check_page(page, "progress-region-after", problems)
        sign_out(page)

        sign_in(page, base, ward)
        page.goto(f"{base}/staff/progress/131199/")
        assert page.locator(".mountains__item").count() == 18
        check_page(page, "progress-ward", problems)
        page.get_by_role("link", name="板橋区全体を数字で見る（5年度）").click()
        page.wait_for_url("**/staff/progress/131199/figures/*")
        assert page.locator(".bars").count() >= 5
        check_page(page, "progress-figures", problems)

        page.goto(f"{base}/areas/takashimadaira/")
        assert "地域の活動を一覧にする" in page.get_by_role("main").inner_text()
        assert "担い手募集の説明会を開く" not in page.get_by_role("main").inner_text()
        check_page(page, "progress-public-region", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    reached = Milestone.objects.get(title="チラシをつくる")
    assert reached.minutes_id == minutes.pk
