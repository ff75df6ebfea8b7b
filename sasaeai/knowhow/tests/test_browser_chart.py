"""In the real Chromium, on a phone-sized screen: the SC tallies hands (+1, a double tap, an
undo) without a page reload, the projector view in another tab picks the count up by itself,
the result compares with the earlier session and prints on A4, closing (after the question
that a stray tap only brings up) makes it read only.
The pages pass axe-core (WCAG 2.1 A/AA) at 390 and 1280 px; their screenshots are kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, chromium_page, sign_in

from ..models import ChartTap, ForumChart
from .chart_builders import count_of, make_chart
from .test_browser_knowhow import _check

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_tally_on_a_phone_projector_result_and_close(
    transactional_db: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    earlier = {("gathering", "want"): 6, ("neighbourhood", "have"): 11}
    make_chart(title="高島平 支え合いフォーラム 2025", held_on=dt.date(2025, 10, 4),
               counts=earlier, closed=True)  # fmt: skip
    chart = make_chart(title="高島平 支え合いフォーラム 2026", held_on=dt.date(2026, 10, 3))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    tally = f"{url}/staff/knowhow/charts/{chart.pk}/tally/"
    with chromium_page(console, viewport=PHONE) as page:
        sign_in(page, url, sc)
        page.goto(f"{url}/staff/knowhow/charts/")
        _check(page, "chart-list", problems)
        page.get_by_role("link", name="チャートを作る").click()
        _check(page, "chart-new", problems)
        page.set_viewport_size(PHONE)
        page.goto(tally)
        page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
        add = page.get_by_role("button", name="＋1 居場所・欲しい")
        count = page.locator("#count-gathering-want")
        add.click()
        expect(page.get_by_role("status")).to_have_text("居場所・欲しい: いま 1 人")
        add.click()
        expect(count).to_contain_text("2")
        # A double tap: the same button sent twice before the answer (the same token).
        form = page.locator("#tally-grid form").nth(3 * 2 + 0)  # 居場所・ある's +1
        form.evaluate("f => { f.requestSubmit(); f.requestSubmit(); }")
        expect(page.locator("#count-gathering-have")).to_contain_text("1")
        page.get_by_role("button", name="1つ戻す 居場所・欲しい").click()
        expect(page.get_by_role("status")).to_have_text("居場所・欲しい: いま 1 人")
        assert page.evaluate("window.notReloaded") is True
        box = add.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
        _check(page, "chart-tally", problems)

        # The projector, in another tab, follows the tally by itself.
        room = page.context.browser.new_context(
            storage_state=page.context.storage_state(), locale="ja-JP", viewport=PHONE
        )
        screen = room.new_page()
        screen.goto(f"{url}/staff/knowhow/charts/{chart.pk}/screen/")
        cell = screen.locator("#screen-grid tbody tr").nth(1).locator("td").nth(1)
        expect(cell).to_have_text("1")
        page.set_viewport_size(PHONE)
        add.click()
        expect(count).to_contain_text("2")
        expect(cell).to_have_text("2", timeout=10_000)
        _check(screen, "chart-projector", problems)
        room.close()

        # The result beside the earlier session, on A4, then closed.
        page.goto(f"{url}/staff/knowhow/charts/{chart.pk}/")
        expect(page.get_by_role("heading", name="前の回とくらべる")).to_be_visible()
        expect(page.get_by_role("row", name="居場所・欲しい 6 2 -4")).to_be_visible()
        _check(page, "chart-result", problems)
        page.emulate_media(media="print")
        page.pdf(path=str(SHOTS / "knowhow-chart-print.pdf"), format="A4")
        page.emulate_media(media="screen")
        page.set_viewport_size(PHONE)
        page.goto(tally)  # the facilitator's tablet: a stray tap on 締め切る only asks
        page.get_by_role("link", name="締め切る").click()
        expect(page.get_by_role("heading", name="このチャートを締め切りますか？")).to_be_visible()
        _check(page, "chart-close-confirm", problems)
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="締め切る").click()
        expect(page.get_by_text("締め切りました。結果は地域の記録として残ります。")).to_be_visible()
        page.goto(tally)
        expect(page.get_by_role("status")).to_have_text(
            "このチャートは締め切りました。数はもう変えられません。"
        )
        assert page.get_by_role("button", name="＋1 居場所・欲しい").count() == 0
        _check(page, "chart-closed", problems)
    assert not problems, "\n\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    assert count_of(chart) == 2 and count_of(chart, "gathering", "have") == 1
    assert ChartTap.objects.filter(chart=chart).count() == 5
    assert ForumChart.objects.get(pk=chart.pk).is_closed
