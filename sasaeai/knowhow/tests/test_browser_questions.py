"""In the real Chromium: an SC asks a question, another region's SC answers it citing a case,
and the asker marks that answer as the one that helped; the pages (the form, the question,
the list, the tags one follows, a block's joint reviews) pass axe-core (WCAG 2.1 A/AA) at 390
and 1280 px, and their screenshots are kept."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.events.tests.builders import make_event
from sasaeai.test import make_user
from sasaeai.tests.test_browser import sign_in

from ..models import AskedQuestion, CaseStatus
from .builders import make_case
from .test_browser_knowhow import _check

pytestmark = pytest.mark.browser
TITLE = "男性の参加者を増やすには？"


def test_asked_answered_with_a_case_and_marked(transactional_db: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    from sasaeai.test import load_itabashi
    from sasaeai.tests.test_browser import SHOTS, chromium_page

    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    other = make_user("other@example.jp", Role.REGION_SC, "itabashi", display_name="板橋 次郎")
    block = make_user("block@example.jp", Role.BLOCK_SC, "blk-akatsuka", display_name="赤塚 三郎")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    make_case("itabashi", "将棋の会から体操へ", by=ward, status=CaseStatus.PUBLISHED)
    make_event("blk-akatsuka", "block-liaison", title="赤塚ブロック連絡会")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        # The SC asks.
        sign_in(page, url, sc)
        page.goto(url + "/staff/knowhow/")
        page.get_by_role("link", name="質問する").first.click()
        _check(page, "question-new", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_label("質問の題名").fill(TITLE)
        page.get_by_label("質問の中身").fill("体操の会が女性ばかりです。男性に来てもらう工夫は？")
        page.get_by_label("もっと参加者（仲間）を増やすにはどうする？").check()
        page.get_by_label("担い手", exact=True).check()
        page.get_by_role("button", name="質問する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_text("質問しました。回答がつくとお知らせします。")).to_be_visible()
        page.context.clear_cookies()

        # Another region's SC finds it and answers, citing a case.
        sign_in(page, url, other)
        page.goto(url + "/staff/knowhow/questions/")
        page.get_by_label("ことば").fill("男性")
        page.get_by_role("button", name="さがす", exact=True).click()
        expect(page.get_by_role("heading", name="質問が 1 件あります")).to_be_visible()
        _check(page, "question-list", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("link", name=f"質問: {TITLE}").click()
        page.locator("#id_text").fill("将棋の会のあとに体操をすると、男性が来ました。")
        page.get_by_label("紹介する事例（いくつでも）").select_option(
            label="将棋の会から体操へ（板橋）"
        )
        page.get_by_role("button", name="回答する").click()
        expect(page.get_by_text("回答しました。")).to_be_visible()
        expect(page.get_by_role("link", name="将棋の会から体操へ")).to_be_visible()
        page.goto(url + "/staff/knowhow/questions/follow/")
        _check(page, "follow", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.context.clear_cookies()

        # The asker marks that answer as the one that helped.
        sign_in(page, url, sc)
        page.goto(url + "/staff/knowhow/questions/")
        page.get_by_role("link", name=f"質問: {TITLE}").click()
        page.get_by_role("button", name="この回答が役に立った").click()
        expect(page.get_by_text("「役に立った回答」にしました。")).to_be_visible()
        expect(page.locator(".answer--helpful")).to_contain_text("板橋 次郎")
        _check(page, "question", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.context.clear_cookies()

        # The block SC opens a joint review beside its liaison meeting.
        sign_in(page, url, block)
        page.goto(url + "/staff/knowhow/questions/block/blk-akatsuka/")
        page.get_by_role("link", name="ブロックに質問する").click()
        page.get_by_label("質問の題名").fill("団地の見守りをどう分担する？")
        page.get_by_label("質問の中身").fill("次の連絡会で話し合いたいです。")
        page.get_by_label("それぞれの活動をつなげてみたら？").check()
        expect(page.get_by_label("赤塚ブロックの合同検討（ブロックの地域だけ）")).to_be_checked()
        page.get_by_role("button", name="質問する").click()
        expect(page.get_by_text("赤塚ブロックの合同検討です。")).to_be_visible()
        page.goto(url + "/staff/knowhow/questions/block/blk-akatsuka/")
        expect(page.get_by_role("link", name="赤塚ブロック連絡会")).to_be_visible()
        _check(page, "block", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(url + "/staff/knowhow/")
        _check(page, "home-with-questions", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    question = AskedQuestion.objects.get(title=TITLE)
    assert question.helpful_answer is not None and question.helpful_answer.cases.count() == 1
    assert AskedQuestion.objects.get(block__isnull=False).block.code == "blk-akatsuka"  # type: ignore[union-attr]
