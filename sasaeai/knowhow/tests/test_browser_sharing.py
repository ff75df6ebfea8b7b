"""In the real Chromium: the writer asks to share a published case with the other
municipalities, the ward approves it from its list of requests, and a staff member of another
municipality finds it by a two-character word, with the municipality's and the region's names
and no one's name; the pages pass axe-core at 390 and 1280 px, and their screenshots are kept."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.test import load_towns, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from ..models import CaseStatus, ShareState
from ..services import VoiceText
from .builders import make_case, make_question

pytestmark = pytest.mark.browser


def test_the_ward_approves_and_another_town_finds_it(
    transactional_db: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    load_towns()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    other = make_user("b@example.jp", Role.REGION_SC, "minami-jhs", display_name="緑 次郎")
    voice = VoiceText(role="サロンの代表", words="笑顔が増えました。", name="高島 花子",
                      name_consent=True)  # fmt: skip
    case = make_case(
        by=sc, title="団地の朝の体操で男性の仲間が増えた", status=CaseStatus.PUBLISHED,
        voices=(voice,), internal_note="会場の鍵は町会長が管理",
    )  # fmt: skip
    question = make_question(sc)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        # The writer asks, on the case's page and on the question's.
        sign_in(page, url, sc)
        page.goto(f"{url}/staff/knowhow/cases/{case.pk}/")
        page.get_by_role("button", name="他の自治体にも共有を申請する").click()
        expect(page.locator(".message--success")).to_contain_text("共有を申請しました")
        check_page(page, "knowhow-sharing-asked", problems)
        page.goto(f"{url}/staff/knowhow/questions/{question.pk}/")
        page.get_by_role("button", name="他の自治体にも共有を申請する").click()
        expect(page.locator(".message--success")).to_contain_text("共有を申請しました")
        page.context.clear_cookies()

        # The ward finds the requests from the know-how home and approves them.
        sign_in(page, url, ward)
        page.goto(url + "/staff/knowhow/")
        page.get_by_role("link", name="他の自治体への共有の申請").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("他の自治体への共有の申請")
        expect(page.get_by_role("heading", name="承認を待っているもの（2件）")).to_be_visible()
        check_page(page, "knowhow-sharing-requests", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        for _ in range(2):
            page.get_by_role("button", name="承認して共有する").first.click()
            expect(page.locator(".message--success")).to_contain_text("承認しました")
        expect(page.get_by_text("承認を待っている申請はありません。")).to_be_visible()
        page.context.clear_cookies()

        # A staff member of another town finds the case by a two-character word.
        sign_in(page, url, other)
        page.goto(url + "/staff/knowhow/")
        page.get_by_role("link", name="他の自治体の事例・質問").click()
        page.get_by_label("ことば").fill("体操")
        page.get_by_role("button", name="さがす", exact=True).click()
        page.wait_for_url("**/shared/?q=*")
        expect(page.get_by_role("heading", name="事例 1 件")).to_be_visible()
        check_page(page, "knowhow-sharing-others", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("link", name="団地の朝の体操で男性の仲間が増えた").click()
        main = page.get_by_role("main")
        expect(main).to_contain_text("板橋区 ／ 高島平")
        expect(main).to_contain_text("笑顔が増えました。")
        text = main.inner_text()
        assert "高島 花子" not in text and "会場の鍵" not in text and "高島 平子" not in text
        check_page(page, "knowhow-sharing-case", problems)
        page.goto(f"{url}/staff/knowhow/shared/questions/{question.pk}/")
        check_page(page, "knowhow-sharing-question", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    case.refresh_from_db()
    assert case.share_state == ShareState.APPROVED
