"""Two staff edit the same need at once: the second to save is told, nothing of theirs is
written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.needs.models import Need

from .builders import make_need

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_need_is_told(users: dict) -> None:
    need = make_need(what="買い物の荷物が重い。")
    second_saver_is_told(
        f"/staff/needs/{need.pk}/edit/", (users["sc"], users["block"]), "what",
        ("週2回、買い物の荷物を運んでほしい。", "月1回、病院への付き添いがほしい。"),
        lambda: Need.objects.get(pk=need.pk).what,
    )  # fmt: skip


@pytest.mark.browser
def test_in_the_browser_the_second_saver_sees_why_and_keeps_their_input(
    transactional_db: Any, live_server: Any
) -> None:
    from sasaeai.test import load_itabashi, load_other_town, make_role_users
    from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

    load_other_town()
    load_itabashi()
    users = make_role_users()
    need = make_need(what="買い物の荷物が重い。")
    edit = f"{live_server.url}/staff/needs/{need.pk}/edit/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as first:
        second = first.context.browser.new_page(locale="ja-JP")
        sign_in(first, live_server.url, users["sc"])
        sign_in(second, live_server.url, users["block"])
        first.goto(edit)
        second.goto(edit)
        first.get_by_label("困りごとの内容").fill("週2回、買い物の荷物を運んでほしい。")
        first.get_by_role("button", name="保存する").click()
        first.wait_for_url(f"{live_server.url}/staff/needs/{need.pk}/")
        second.get_by_label("困りごとの内容").fill("月1回、病院への付き添いがほしい。")
        second.get_by_role("button", name="保存する").click()
        second.get_by_role("heading", name="いま保存されている内容").wait_for()
        told = second.get_by_role("alert").inner_text()
        kept = second.get_by_label("困りごとの内容").input_value()
        check_page(second, "needs-edit-conflict", problems)
    assert "ほかの人が先に保存しました" in told and kept == "月1回、病院への付き添いがほしい。"
    assert not problems, "\n".join(problems)
    assert Need.objects.get(pk=need.pk).what == "週2回、買い物の荷物を運んでほしい。"
