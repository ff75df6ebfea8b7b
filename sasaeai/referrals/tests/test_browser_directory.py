"""In Chromium: ward staff keep the institution directory and read the statistics; a region
SC re-sends a returned referral; a resident sees an institution on the map. Every page is
photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.referrals.models import Institution, Referral, Status
from sasaeai.test import load_itabashi, load_other_town, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import link_staff, make_institution, make_referral

pytestmark = pytest.mark.browser


def test_directory_statistics_and_resend(transactional_db: Any, live_server: Any) -> None:
    load_other_town()
    load_itabashi()
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区 職員")
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    staff = make_user("houkatsu@example.jp", Role.INSTITUTION_STAFF, "takashimadaira")
    first = make_institution(latitude=35.7891, longitude=139.6612, address="板橋区高島平1-1-1")
    link_staff(staff, first)
    make_institution(
        "赤塚地域リハビリ支援センター", covers=("blk-akatsuka",), kind="rehabilitation"
    )
    returned = make_referral(first, by=sc, status=Status.RETURNED, problem_kind="housing")
    for kind in ("care", "dementia", "dementia"):
        make_referral(first, by=sc, status=Status.CLOSED, problem_kind=kind)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, url, ward)
        page.goto(url + "/staff/referrals/manage/")
        check_page(page, "institutions-manage", problems)
        page.get_by_role("link", name="専門機関を登録する").click()
        page.get_by_label("名称").fill("おとしより相談センター新河岸")
        page.get_by_label("緯度").fill("35.7960")
        page.get_by_role("button", name="保存する").click()
        assert "緯度と経度は両方入れるか" in page.get_by_role("main").inner_text()
        check_page(page, "institution-form-error", problems)
        page.get_by_label("経度").fill("139.6560")
        page.get_by_label("高島平").check()
        page.get_by_role("button", name="保存する").click()
        page.wait_for_url("**/staff/referrals/manage/")
        assert "おとしより相談センター新河岸" in page.get_by_role("main").inner_text()
        page.get_by_role("link", name="おとしより相談センター高島平 の職員を管理する").click()
        page.get_by_label("職員のメールアドレス").fill("sc@example.jp")
        page.get_by_role("button", name="加える").click()
        assert "役割を持つ利用者が見つかりません" in page.get_by_role("main").inner_text()
        check_page(page, "institution-staff", problems)
        page.goto(url + "/staff/referrals/manage/transfer/")
        check_page(page, "institutions-transfer", problems)
        page.goto(url + "/staff/referrals/stats/")
        assert "送ったつなぎ: 4 件" in page.get_by_role("main").inner_text()
        check_page(page, "referral-stats", problems)
        sign_out(page)

        sign_in(page, url, sc)
        page.goto(f"{url}/staff/referrals/{returned.pk}/")
        check_page(page, "referral-returned", problems)
        page.get_by_role("link", name="直して送り直す").click()
        page.get_by_label("つなぐ先").select_option(
            label="赤塚地域リハビリ支援センター（地域リハビリテーション）"
        )
        page.get_by_label("機関へのひとこと").fill("住まいの改修についてご相談ください。")
        check_page(page, "referral-resend", problems)
        page.get_by_role("button", name="送り直す").click()
        page.wait_for_url(f"**/staff/referrals/{returned.pk}/")
        assert "送り直しました" in page.locator(".timeline").inner_text()
        page.goto(f"{url}/institutions/{first.pk}/")
        page.locator(".leaflet-marker-icon").wait_for()
        check_page(page, "institution-public-map", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    referral = Referral.objects.get(pk=returned.pk)
    assert referral.status == Status.SENT
    assert referral.institution.name == "赤塚地域リハビリ支援センター"
    assert Institution.objects.get(name="おとしより相談センター新河岸").latitude == 35.796
