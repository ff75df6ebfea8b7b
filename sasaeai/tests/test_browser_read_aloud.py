"""In the real Chromium: the 「読み上げ」 button of the public activity, local event and region
pages reads the page's text in Japanese with the browser's own speech, stops on a second
press, and is not there where the browser cannot speak. The speech engine itself is replaced
by a recorder (a headless browser has no voices); what it is asked to say is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from sasaeai.test import load_itabashi

from .test_browser import SHOTS, SIZES, WCAG_21_AA, chromium_page

pytestmark = pytest.mark.browser

RECORDER = """
window.__spoken = [];
window.__cancelled = 0;
Object.defineProperty(window, "speechSynthesis", {value: {
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang, rate: u.rate}); },
  cancel() { window.__cancelled += 1; },
  getVoices() { return []; },
}});
"""
MUTE = 'Object.defineProperty(window, "speechSynthesis", {value: undefined});'


def test_an_activity_page_is_read_aloud_in_japanese(
    transactional_db: Any, live_server: Any
) -> None:
    from sasaeai.directory.tests.builders import make_activity

    load_itabashi()
    talk = "お茶を飲みながらおしゃべりします。"
    activity = make_activity("高島平いきいきサロン", description=talk)
    url = f"{live_server.url}/activities/{activity.pk}/"
    problems: list[str] = []
    console: list[str] = []
    for size, (width, height) in SIZES.items():
        with chromium_page(console, viewport={"width": width, "height": height}) as page:
            page.add_init_script(RECORDER)
            page.goto(url)
            button = page.get_by_role("button", name="読み上げ", exact=True)
            assert button.is_visible()
            shoot(page, f"read-aloud-{size}", problems)
            button.click()
            spoken = page.evaluate("window.__spoken")
            stop = page.get_by_role("button", name="読み上げを止める")
            assert stop.get_attribute("aria-pressed") == "true"
            stop.click()
            assert (
                page.get_by_role("button", name="読み上げ").get_attribute("aria-pressed") == "false"
            )
            assert page.evaluate("window.__cancelled") >= 2

    said = " ".join(part["text"] for part in spoken)
    assert said.startswith("高島平いきいきサロン")
    assert talk in said and "毎週水曜" in said
    assert "パンくず" not in said and "読み上げ" not in said  # no menus, no buttons
    assert {part["lang"] for part in spoken} == {"ja-JP"}
    assert all(len(part["text"]) <= 180 for part in spoken)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_no_button_where_the_browser_cannot_speak(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    console: list[str] = []
    with chromium_page(console) as page:
        page.add_init_script(MUTE)
        page.goto(f"{live_server.url}/areas/takashimadaira/")
        assert page.get_by_role("heading", level=1).inner_text() == "高島平地域"
        assert page.get_by_role("button", name="読み上げ").count() == 0
    with chromium_page(console) as page:
        page.add_init_script(RECORDER)
        page.goto(f"{live_server.url}/areas/takashimadaira/")
        page.get_by_role("button", name="読み上げ").click()
        said = " ".join(part["text"] for part in page.evaluate("window.__spoken"))
    assert said.startswith("高島平地域")
    assert not console, console


def shoot(page: Any, name: str, problems: list[str]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        problems.append(f"{name}:\n{results.generate_report()}")
