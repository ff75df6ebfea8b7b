"""In the real Chromium: a resident on a phone finds the activities near where they stand, and
a region SC at a desk imports activities from a CSV file. Screenshots go to test-artifacts/;
every page is checked with axe-core for WCAG 2.1 A/AA."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory.models import Activity, Status
from sasaeai.directory.tests.builders import make_activity
from sasaeai.directory.tests.test_transfer import file_of, row
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, shoot, sign_in

pytestmark = pytest.mark.browser

# Where the resident stands: by the 高島平 地域センター.
HERE = {"latitude": 35.7890, "longitude": 139.6590}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def test_resident_finds_activities_near_them_on_a_phone(
    transactional_db: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    salon = make_activity("高島平ひだまりサロン", place=(35.7917, 139.6590))  # about 0.3 km
    exercise = make_activity(  # about 1.2 km
        "新河岸ふれあい体操クラブ", kinds=("exercise",), place=(35.7990, 139.6640)
    )
    make_activity("成増いきいき体操", "narimasu", kinds=("exercise",), place=(35.7765, 139.6315))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    options = {"geolocation": HERE, "permissions": ["geolocation"], "has_touch": True}
    missing: list[str] = []  # what the pages asked this site for and did not get
    with chromium_page(console, viewport=PHONE, is_mobile=True, **options) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(live_server.url + "/activities/")
        expect(page.get_by_role("heading", name="3 件見つかりました")).to_be_visible()
        near_me = page.get_by_role("button", name="いまいる場所の近くをさがす")
        expect(near_me).to_be_visible()  # shown only where the phone can tell its place
        near_me.tap()

        # Only what lies within 2 km, nearest first, each with how far it is.
        page.wait_for_url(re.compile(r"[?&]near=35\.789\d*(%2C|,)139\.659"))
        expect(page.get_by_role("heading", name="2 件見つかりました")).to_be_visible()
        titles = page.locator(".result__title a")
        expect(titles).to_have_text([salon.name, exercise.name])
        expect(page.locator(".result .distance")).to_have_text(["約 0.3 km", "約 1.2 km"])
        expect(page.get_by_role("link", name="場所の指定をやめる")).to_be_visible()
        # The map marks the same two activities.
        markers = page.locator("#map .leaflet-marker-icon")
        expect(markers).to_have_count(2)
        expect(page.get_by_alt_text(salon.name)).to_be_visible()
        expect(page.get_by_alt_text(exercise.name)).to_be_visible()
        shoot(page, "near-me", problems)

        # Tapping a marker names the activity; its link opens the activity's page.
        page.get_by_alt_text(exercise.name).tap()
        popup_link = page.locator(".leaflet-popup").get_by_role("link", name=exercise.name)
        expect(popup_link).to_be_visible()
        popup_link.tap()
        page.wait_for_url(f"**/activities/{exercise.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(exercise.name)

        # Back on the list, tapping the nearest result opens it too.
        page.go_back()
        expect(titles).to_have_text([salon.name, exercise.name])
        titles.first.tap()
        page.wait_for_url(f"**/activities/{salon.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(salon.name)
        expect(page.get_by_role("main")).to_contain_text("毎週水曜 14:00〜16:00")
    assert not problems, "\n".join(problems)
    assert not errors, errors
    assert not missing, missing  # marker images, icon: all found
    assert not [m for m in console if "Content Security Policy" in m], console


def test_region_sc_imports_a_csv_with_a_bad_row(transactional_db: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    make_activity("高島平いきいきサロン")
    good = row(
        活動名="高島平ひだまり体操",
        よみがな="たかしまだいらひだまりたいそう",
        種類="体操・スポーツの集まり",
    )
    bad = row(活動名="成増ふれあいサロン", 地域コード="narimasu")  # not this SC's region
    csv = {"name": "活動.csv", "mimeType": "text/csv", "buffer": file_of([good, bad], "cp932")}
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport=DESKTOP) as page:
        sign_in(page, live_server.url, user)

        page.get_by_role("navigation").get_by_role("link", name="活動の管理").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("活動の管理")
        page.get_by_role("link", name="Excel・CSVで取り込む・書き出す").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("活動の取り込みと書き出し")
        check_page(page, "transfer-upload", problems)

        # Dry run: each row's result, the bad one with its row number and reason; nothing saved.
        page.get_by_label("取り込むファイル（.xlsx または .csv）").set_input_files(csv)
        page.get_by_role("button", name="内容を確認する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("取り込みの確認結果")
        expect(page.get_by_text("ファイル: 活動.csv")).to_be_visible()
        expect(page.get_by_text("問題のある行: 1 件")).to_be_visible()
        bad_row = page.get_by_role("region", name="問題のある行").get_by_role("row").nth(1)
        expect(bad_row).to_contain_text("3 行目")
        expect(bad_row).to_contain_text("成増ふれあいサロン")
        expect(bad_row).to_contain_text("この地域は担当外です。")
        good_row = page.get_by_role("region", name="問題のない行").get_by_role("row").nth(1)
        expect(good_row).to_contain_text("2 行目")
        expect(good_row).to_contain_text("高島平ひだまり体操")
        expect(good_row).to_contain_text("新規")
        check_page(page, "transfer-dry-run", problems)

        # Commit the good row only.
        page.get_by_role("button", name="問題のない 1 行だけ登録する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("取り込みの結果")
        expect(page.get_by_text("1 件を新しく登録し、0 件を更新しました。")).to_be_visible()
        expect(page.get_by_role("region", name="登録した行")).to_contain_text("高島平ひだまり体操")
        expect(page.get_by_role("button", name=re.compile("登録する"))).to_have_count(0)
        check_page(page, "transfer-committed", problems)

        # The new activity is in the staff list; the refused one is not.
        page.get_by_role("navigation").get_by_role("link", name="活動の管理").first.click()
        expect(page.get_by_text("2 件", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="高島平ひだまり体操", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="成増ふれあいサロン")).to_have_count(0)
        check_page(page, "staff-list-after-import", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    imported = Activity.objects.get(name="高島平ひだまり体操")
    assert imported.area.code == "takashimadaira" and imported.status == Status.PUBLISHED
    assert not Activity.objects.filter(name="成増ふれあいサロン").exists()
