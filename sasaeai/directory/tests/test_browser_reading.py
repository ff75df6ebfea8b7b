"""In the real Chromium, on a phone: a resident who types a word in hiragana finds the activity
written in kanji (issue 25). The page is checked with axe-core for WCAG 2.1 A/AA."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import load_itabashi
from sasaeai.tests.test_browser import SHOTS, chromium_page, shoot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_resident_types_inu_and_finds_the_dog_walking_group(
    transactional_db: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    dogs = make_activity("高島平 犬の散歩仲間", kinds=("dog-walking",))
    make_activity("高島平ひだまりサロン")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    with chromium_page(console, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server.url + "/activities/")
        words = page.get_by_label("ことばで探す")
        words.fill("いぬ")
        words.press("Enter")
        page.wait_for_url("**q=*")
        expect(page.get_by_role("heading", name="1 件見つかりました")).to_be_visible()
        expect(page.locator(".result__title a")).to_have_text([dogs.name])
        shoot(page, "search-by-reading", problems)
        page.locator(".result__title a").first.tap()
        page.wait_for_url(f"**/activities/{dogs.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(dogs.name)
    assert not problems, "\n".join(problems)
    assert not errors, errors
    assert not [m for m in console if "Content Security Policy" in m], console
