"""In Chromium: the region's SC opens a need, looks at the suggestions (each saying why),
and records an introduction to an activity, which then shows on the need's timeline. The
public 仲間募集 list and helper form are photographed too. Every page at 390 and 1280 px,
checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs.models import EventAction, Introduction, PeerCall
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import make_helper, make_need

pytestmark = pytest.mark.browser


def test_sc_turns_a_need_into_an_introduction(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    need = make_need(kind="shopping", what="近くのスーパーが閉店し、重い物を運べない。")
    activity = make_activity("高島平お買い物クラブ", kinds=("shopping",))
    make_activity("蓮根お買い物バス", "hasune", kinds=("shopping",), place=(35.7845, 139.6745))
    make_helper(name="板橋 花子", weekday_bits=4, daypart_bits=2)
    PeerCall.objects.create(activity=activity, looking_for="helpers", what="付き添いの方",
                            when="毎週水曜の午後")  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 1280, "height": 900}) as page:
        page.goto(live_server.url + "/needs/peers/")
        assert "付き添いの方" in page.get_by_role("main").inner_text()
        check_page(page, "peers-public", problems)
        page.goto(live_server.url + "/needs/helpers/new/")
        page.get_by_role("button", name="登録する").click()
        assert "地域を選んでください。" in page.get_by_role("alert").inner_text()
        check_page(page, "helper-form-errors", problems)

        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/staff/needs/{need.pk}/")
        page.get_by_role("link", name="つなぎ先をさがす").click()
        page.wait_for_url("**/matches/")
        page.get_by_label("水曜").check()
        page.get_by_label("午後").check()
        page.get_by_role("button", name="この日時で探す").click()
        page.wait_for_url("**/matches/?*")
        first = page.locator(".match-list").first.locator("li").first
        assert "高島平お買い物クラブ" in first.inner_text()
        assert "種類が合う・同じ地域・約 0.0 km・水曜の午後" in first.inner_text()
        assert "板橋 花子" in page.get_by_role("main").inner_text()
        check_page(page, "need-matches", problems)
        first.get_by_text("紹介を記録する").first.click()
        first.get_by_label("メモ").fill("電話でクラブの代表に紹介した。")
        first.get_by_role("button", name="紹介を記録する").click()
        page.wait_for_url(f"**/staff/needs/{need.pk}/")
        timeline = page.locator(".timeline").inner_text()
        assert "紹介" in timeline and "高島平お買い物クラブ" in timeline
        assert "高島 平子" in timeline
        check_page(page, "need-introduced", problems)
        page.goto(live_server.url + "/staff/needs/helpers/")
        check_page(page, "helpers-list", problems)
        page.get_by_role("link", name="板橋 花子").click()
        check_page(page, "helper-detail", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    intro = Introduction.objects.get()
    assert intro.activity == activity and intro.need == need and intro.by == user
    assert need.events.filter(action=EventAction.INTRODUCED).exists()
