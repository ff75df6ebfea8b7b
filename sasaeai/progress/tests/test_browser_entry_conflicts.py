"""In Chromium at phone width: the region's SC and the block's SC have the participants page
open at once, and two ward staff the population page; the first of each saves, the second is
told (their input kept, what the first saved beside it) and saves after looking. The told
pages are photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.tests.conflicts import SAVED_NOW, TOLD
from sasaeai.progress.models import Participation, Population
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PARTICIPANTS = "/staff/progress/takashimadaira/participants/?year=2026"
POPULATION = "/staff/progress/takashimadaira/population/?year=2026"


def _save_and_tell(first: Any, second: Any, row: str, label: str, values: tuple[str, str],
                   button: str) -> tuple[str, str]:  # fmt: skip
    """The first saves values[0] into the row's field, the second then values[1]: what the
    second is told, and what their field holds after."""
    first.locator(row).get_by_label(label, exact=True).fill(values[0])
    first.get_by_role("button", name=button).click()
    first.get_by_text("保存しました（").wait_for()  # back on the page, saved
    second.locator(row).get_by_label(label, exact=True).fill(values[1])
    second.get_by_role("button", name=button).click()
    second.get_by_role("heading", name=SAVED_NOW).wait_for()
    told = second.get_by_role("alert").first.inner_text()
    return told, second.locator(row).get_by_label(label, exact=True).input_value()


def test_the_second_saver_is_told_on_both_entry_pages(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    block = make_user("block@example.jp", Role.BLOCK_SC, "blk-akatsuka", display_name="赤塚 一")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区 一郎")
    ward2 = make_user("ward2@example.jp", Role.WARD_STAFF, "131199", display_name="区 二郎")
    salon = make_activity("高島平いきいきサロン")
    make_activity("けやき体操の会")
    region = area("takashimadaira")
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    told: dict[str, tuple[str, str]] = {}
    with chromium_page(console, viewport=PHONE) as first:
        second = first.context.browser.new_page(locale="ja-JP", viewport=PHONE)
        for page, who in ((first, sc), (second, block)):
            sign_in(page, base, who)
            page.goto(base + PARTICIPANTS)
        told["participants"] = _save_and_tell(
            first, second, f"#activity-{salon.pk}", "参加者実人数", ("25", "30"),
            "すべての活動の数を保存する",
        )  # fmt: skip
        check_page(second, "entry-participants-conflict", problems)
        second.set_viewport_size(PHONE)
        second.get_by_role("button", name="すべての活動の数を保存する").click()
        second.get_by_text("保存しました（").wait_for()  # pressed again after looking: saved

        third = first.context.browser.new_page(locale="ja-JP", viewport=PHONE)
        fourth = first.context.browser.new_page(locale="ja-JP", viewport=PHONE)
        for page, who in ((third, ward), (fourth, ward2)):
            sign_in(page, base, who)
            page.goto(base + POPULATION)
        told["population"] = _save_and_tell(
            third, fourth, f"#region-{region.pk}", "65歳以上の人口", ("5000", "5100"),
            "すべての地域の人口を保存する",
        )  # fmt: skip
        check_page(fourth, "entry-population-conflict", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    for page, (message, kept) in told.items():
        assert TOLD in message, (page, message)
        assert kept in ("30", "5100"), (page, kept)
    assert Participation.objects.get(activity=salon, fiscal_year=2026).participants == 30
    # The second ward staff was told and did not press again: the first's figure stands.
    assert Population.objects.get(area=region, fiscal_year=2026).aged_65_up == 5000
