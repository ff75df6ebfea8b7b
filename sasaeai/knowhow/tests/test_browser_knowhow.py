"""In the real Chromium: an SC writes a case, the ward publishes it, a council member of
another region finds it by a two-character word and marks it useful (htmx); the pages pass
axe-core (WCAG 2.1 A/AA) at 390 and 1280 px, and their screenshots are kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.areas.models import AreaContact
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from ..models import Case, CaseStatus, UsefulMark

pytestmark = pytest.mark.browser
# Where the screenshots are copied as well, when asked (KNOWHOW_SHOTS=<folder>).
COPY_TO = os.environ.get("KNOWHOW_SHOTS", "")


def _check(page: Any, name: str, problems: list[str]) -> None:
    check_page(page, f"knowhow-{name}", problems)
    if COPY_TO:
        Path(COPY_TO).mkdir(parents=True, exist_ok=True)
        for size in ("phone", "desktop"):
            shutil.copy(SHOTS / f"knowhow-{name}-{size}.png", Path(COPY_TO) / f"{name}-{size}.png")


def test_a_case_written_published_found_and_marked_useful(
    transactional_db: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    member = make_user(
        "member@example.jp", Role.COUNCIL_MEMBER, "itabashi", display_name="板橋 委員"
    )
    AreaContact.objects.create(
        area=area("takashimadaira"), post="板橋区社会福祉協議会 高島平地域担当",
        phone="03-1234-5678", hours="月〜金 9:00〜17:00",
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        # The SC writes a case and sends it for review.
        sign_in(page, url, sc)
        page.get_by_role("main").get_by_role("link", name="学び合う（事例）").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("学び合う（事例）")
        page.get_by_role("link", name="事例を書く").click()
        page.get_by_label("題名").fill("団地の朝の体操で男性の仲間が増えた")
        page.get_by_label("いつの取組か").fill("2026-05-10")
        page.get_by_label("③ 助け合い創出").check()
        page.get_by_label("もっと参加者（仲間）を増やすにはどうする？").check()
        page.get_by_label("住民のページにも載せる").check()
        page.get_by_label("取組", exact=True).fill("朝7時に集会所の前で体操を始めた")
        page.get_by_label("結果", exact=True).fill("参加者は5人から23人に。男性が14人。")
        page.locator("#id_voice-0-role").fill("参加している男性")
        page.locator("#id_voice-0-words").fill("朝に顔を合わせる相手ができました。")
        page.locator("#id_voice-0-name").fill("高島 太郎")
        page.locator("#id_voice-0-name_consent").check()
        page.get_by_label("内部メモ").fill("会場の鍵は町会長が管理")
        page.get_by_role("button", name="保存して確認をお願いする").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "団地の朝の体操で男性の仲間が増えた"
        )
        expect(page.get_by_text("保存して、確認をお願いしました。")).to_be_visible()
        page.context.clear_cookies()  # signed out (the menu's button is tested elsewhere)

        # The ward publishes it.
        sign_in(page, url, ward)
        page.goto(url + "/staff/knowhow/")
        page.get_by_role("link", name="団地の朝の体操で男性の仲間が増えた").first.click()
        page.get_by_role("button", name="承認して公開する").click()
        expect(page.locator(".message--success")).to_have_text("承認して公開しました。")
        page.context.clear_cookies()  # signed out (the menu's button is tested elsewhere)

        # A council member of another region finds it by a two-character word.
        sign_in(page, url, member)
        page.goto(url + "/staff/knowhow/")
        _check(page, "home", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("link", name="事例をさがす").click()
        page.get_by_label("ことば").fill("体操")
        page.get_by_role("button", name="さがす", exact=True).click()
        page.wait_for_url("**/cases/?*q=*")
        expect(page.get_by_role("heading", name="1 件見つかりました")).to_be_visible()
        _check(page, "list", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.locator(".result__title a").first.click()
        main = page.get_by_role("main")
        expect(main).to_contain_text("高島 太郎")  # staff pages: named, with consent
        page.get_by_role("button", name="役に立った").click()
        expect(page.get_by_text("「役に立った」を送りました。")).to_be_visible()
        expect(page.get_by_text("役に立った: 1 人")).to_be_visible()
        _check(page, "case", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("link", name="住民のページで見る").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "団地の朝の体操で男性の仲間が増えた"
        )
        main_text = page.get_by_role("main").inner_text()
        assert "高島 太郎" not in main_text and "会場の鍵" not in main_text
        assert "03-1234-5678" in main_text
        _check(page, "public-case", problems)
        page.goto(url + "/knowhow/")
        _check(page, "public-list", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    case = Case.objects.get()
    assert case.status == CaseStatus.PUBLISHED and UsefulMark.objects.count() == 1
