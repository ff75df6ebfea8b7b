"""In Chromium: a region SC signs in with a second step, opens the token page from the staff
menu, makes a token, sees its secret once, uses it on the API, revokes it and sees it refused;
each page photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sasaeai.accounts.models import Role
from sasaeai.api.models import Token
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, staff_menu

pytestmark = pytest.mark.browser
COPIES = Path("/tmp/shots/D")  # noqa: S108 - where the screenshots are looked at


def use(base: str, secret: str) -> tuple[int, dict[str, Any]]:
    """GET /api/staff/me/ with the token, as a script would."""
    request = urllib.request.Request(  # noqa: S310 - the live test server
        base + "/api/staff/me/", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_sc_makes_uses_and_revokes_a_token(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as page:
        sign_in(page, live_server.url, user)

        staff_menu(page).get_by_role("link", name="APIトークン").first.click()
        page.wait_for_url("**/staff/api-tokens/")
        assert "まだトークンはありません。" in page.get_by_role("main").inner_text()
        check_page(page, "api-tokens-empty", problems)

        page.get_by_label("名前").fill("活動一覧の取り込み")
        page.get_by_label("活動・場所・日程を見る").check()
        page.get_by_label("困りごとを見る").check()
        page.get_by_role("button", name="トークンを作る").click()
        secret_field = page.get_by_label("トークン", exact=True)
        secret = secret_field.input_value()
        assert secret.startswith("sasaeai_")
        assert "二度と表示できません" in page.get_by_role("main").inner_text()
        # The script shows the button once the page has loaded (a moment after the field).
        expect(page.get_by_role("button", name="トークンをコピーする")).to_be_visible()
        check_page(page, "api-tokens-made", problems)

        status, me = use(live_server.url, secret)
        assert status == 200, me
        assert me["token"] == "活動一覧の取り込み"
        assert me["scopes"] == ["directory:read", "needs:read"]

        page.goto(live_server.url + "/staff/api-tokens/")
        main = page.get_by_role("main")
        assert secret not in page.content()  # shown once only
        assert "有効" in main.inner_text()
        page.get_by_text("取り消す", exact=True).click()
        check_page(page, "api-tokens-revoke", problems)
        page.get_by_role("button", name="「活動一覧の取り込み」を取り消す").click()
        page.wait_for_load_state()
        assert "取り消しました" in main.inner_text()
        assert "取り消し済み" in main.inner_text()
        check_page(page, "api-tokens-revoked", problems)

        status, refused = use(live_server.url, secret)
        assert status == 401
        assert refused["code"] == "token_revoked"
    token = Token.objects.get()
    assert token.revoked_at is not None and token.last_used_at is not None
    COPIES.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS.glob("api-tokens-*.png"):
        shutil.copy(shot, COPIES / shot.name)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "error" in m.lower()], console
