"""In the real Chromium at a phone's width: ふりがな switched on from the header without
JavaScript, shown over the kanji, remembered on the next page, axe clean, printed; read
aloud still says each word once."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.core.templatetags import furigana_tags
from sasaeai.test import load_itabashi

from .test_browser import SHOTS, SIZES, chromium_page
from .test_browser_read_aloud import RECORDER, shoot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def url(transactional_db: Any, live_server: Any) -> str:
    from sasaeai.directory.tests.builders import make_activity

    furigana_tags.forget()
    load_itabashi()
    activity = make_activity(
        "高島平お茶飲み仲間",
        kana="たかしまだいらおちゃのみなかま",
        description="ご近所の顔なじみが集まって、お茶を飲みながら近況を話しています。",
    )
    return f"{live_server.url}/activities/{activity.pk}/"


def switch_on(page: Any, url: str) -> None:
    page.get_by_role("button", name="ふりがなをつける").click()
    page.wait_for_url(url)


def test_furigana_on_a_phone_without_javascript(url: str, live_server: Any) -> None:
    console: list[str] = []
    with chromium_page(console, viewport=PHONE, java_script_enabled=False) as page:
        page.goto(url)
        assert page.locator("rt").count() == 0  # off by default
        switch_on(page, url)
        heading = page.get_by_role("heading", level=1)
        assert heading.locator("rt").all_inner_texts() == ["たかしまだいら", "ちゃの", "なかま"]
        # The reading sits above its kanji, not beside it.
        kanji = heading.locator("ruby").first.bounding_box()
        reading = heading.locator("rt").first.bounding_box()
        assert kanji and reading and reading["y"] + reading["height"] <= kanji["y"] + 8
        pressed = page.get_by_role("button", name="ふりがなを消す").get_attribute("aria-pressed")
        assert pressed == "true"
        page.goto(f"{live_server.url}/areas/takashimadaira/")  # remembered
        assert "ちいき" in page.locator("h1 rt").all_inner_texts()
        page.get_by_role("button", name="ふりがなを消す").click()
        page.wait_for_load_state()
        assert page.locator("rt").count() == 0
        assert page.get_by_role("button", name="ふりがなをつける").is_visible()


def test_pages_with_furigana_pass_axe_print_and_read_aloud_once(url: str, live_server: Any) -> None:
    problems: list[str] = []
    console: list[str] = []
    for size, (width, height) in SIZES.items():
        with chromium_page(console, viewport={"width": width, "height": height}) as page:
            page.add_init_script(RECORDER)
            page.goto(url)
            switch_on(page, url)
            shoot(page, f"furigana-activity-{size}", problems)
            page.get_by_role("button", name="読み上げ").click()
            said = " ".join(part["text"] for part in page.evaluate("window.__spoken"))
            assert said.startswith("高島平お茶飲み仲間") and "たかしまだいら" not in said
            for name, path in [("region", "/areas/takashimadaira/"), ("home", "/"),
                               ("search", "/activities/?q=お茶")]:  # fmt: skip
                page.goto(f"{live_server.url}{path}")
                assert page.locator("rt").count() > 0, path
                shoot(page, f"furigana-{name}-{size}", problems)
            page.goto(url)
            page.emulate_media(media="print")
            assert page.locator("h1 rt").first.is_visible()  # printed too
            page.screenshot(path=str(SHOTS / f"furigana-activity-print-{size}.png"), full_page=True)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
