"""In the real Chromium: sign in with a password and a TOTP code, look at the pages at
phone and desktop width, and check them with axe-core for WCAG 2.1 A/AA."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from sasaeai.accounts.models import Role
from sasaeai.test import PASSWORD, load_itabashi, make_user, totp_code

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@contextmanager
def chromium_page(console: list[str], **page_options: Any) -> Iterator[Any]:
    """A page in Debian's Chromium; console errors are collected into `console`.

    Playwright's sync API runs an event loop in this thread, so the ORM must not be used
    inside the block (Django would refuse); build data before, check it after.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(locale="ja-JP", **page_options)
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            # Map tiles come from the network, which tests never reach.
            page.route("https://cyberjapandata.gsi.go.jp/**", lambda route: route.abort())
            yield page
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def staff_menu(page: Any) -> Any:
    """The main menu, with the staff's links in reach: on a phone they are folded behind
    「職員メニュー」, which is opened here."""
    nav = page.get_by_role("navigation", name="メインメニュー")
    fold = nav.locator("details.main-nav__fold")
    if fold.is_visible() and fold.get_attribute("open") is None:
        fold.locator("summary").click()
    return nav


# The sign-in codes used in this process, by secret: a code works once, so signing the same
# person in again within one 30-second period takes the next period's code (accepted too).
_USED: set[tuple[str, str]] = set()


def sign_in(page: Any, base: str, user: Any) -> None:
    """Sign in a user made by make_user (password, then for staff their TOTP code) and wait
    for the staff home."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    secret = getattr(user, "totp_secret", None)
    if secret is not None:
        code = next(c for c in (totp_code(user), totp_code(user, 1)) if (secret, c) not in _USED)
        _USED.add((secret, code))
        page.get_by_label("コード").fill(code)  # reads no database
        page.get_by_role("button", name="サインイン").or_(
            page.get_by_role("button", name="ログイン")
        ).first.click()
    page.wait_for_url(base + "/staff/")


def sign_out(page: Any) -> None:
    staff_menu(page).get_by_role("button", name="ログアウト").click()
    page.wait_for_load_state()


def check_page(page: Any, name: str, problems: list[str]) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            problems.append(f"{name} at {size}:\n{results.generate_report()}")


def test_sign_in_with_mfa_and_pages_pass_axe(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as page:
        page.goto(live_server.url + "/")
        assert page.get_by_role("heading", level=1).inner_text() == "板橋区の支え合い"
        check_page(page, "public-home", problems)

        page.get_by_role("link", name="職員ログイン").click()
        check_page(page, "sign-in", problems)
        page.get_by_label("メールアドレス").fill("sc@example.jp")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        check_page(page, "sign-in-code", problems)
        page.get_by_label("コード").fill(totp_code(user))  # reads no database
        page.get_by_role("button", name="サインイン").or_(
            page.get_by_role("button", name="ログイン")
        ).first.click()
        page.wait_for_url(live_server.url + "/staff/")
        assert "高島平" in page.get_by_role("main").inner_text()
        check_page(page, "staff-home", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_resident_finds_a_salon_on_a_phone(transactional_db: Any, live_server: Any) -> None:
    from sasaeai.directory.tests.builders import make_activity

    load_itabashi()
    make_activity("高島平いきいきサロン", description="お茶を飲みながらおしゃべりします。")
    make_activity("朝の体操クラブ", kinds=("exercise",), place=(35.7895, 139.6600))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        page.goto(live_server.url + "/activities/")
        page.get_by_label("ことばで探す").fill("さろん")
        page.get_by_role("button", name="さがす", exact=True).click()
        page.wait_for_url("**/activities/?q=*")
        results = page.locator(".result__title a")
        assert results.all_inner_texts() == ["高島平いきいきサロン"]
        shoot(page, "search-salon", problems)
        results.first.click()
        page.wait_for_url("**/activities/*/")
        assert "毎週水曜 14:00〜16:00" in page.get_by_role("main").inner_text()
        shoot(page, "activity", problems)
        page.get_by_role("link", name="印刷用のページ").click()
        assert page.locator(".qr img").count() == 1
        page.emulate_media(media="print")
        shoot(page, "activity-print", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console


def shoot(page: Any, name: str, problems: list[str]) -> None:
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        problems.append(f"{name}:\n{results.generate_report()}")
