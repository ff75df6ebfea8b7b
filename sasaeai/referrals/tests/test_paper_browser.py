"""In Chromium: the region's SC opens the paper referral forms, attaches a returned form and
sees the draft form beside its image. Every page is photographed at 390 and 1280 px and
checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import png
from sasaeai.referrals.models import ReferralSheet
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import make_institution

pytestmark = pytest.mark.browser


def test_the_sc_attaches_a_referral_form(
    transactional_db: Any, live_server: Any, tmp_path: Any
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    centre = make_institution()
    sheet = paper_forms.issue(
        ReferralSheet, 1, by=user, area=area("takashimadaira"), institution=centre
    )[0]
    scan = tmp_path / "scan.png"
    scan.write_bytes(png(827, 1169))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, live_server.url, user)
        page.goto(live_server.url + "/staff/referrals/")
        page.get_by_role("link", name="紙のつなぎ連絡票（FAX）").click()
        page.wait_for_url("**/staff/referrals/paper/")
        check_page(page, "paper-referrals-index", problems)
        page.get_by_role("link", name="戻ってきた用紙を取り込む").click()
        page.get_by_label("受付票番号").fill(sheet.reference)
        page.get_by_label("戻ってきた用紙（スキャンか写真）").set_input_files(str(scan))
        page.get_by_role("button", name="取り込む").click()
        page.wait_for_url(f"**/staff/referrals/paper/{sheet.pk}/")
        image = page.get_by_role("img", name=f"戻ってきた用紙 {sheet.reference} の画像")
        assert image.evaluate("img => img.naturalWidth") == 827  # decrypted for the SC
        check_page(page, "paper-referrals-sheet", problems)
    assert not problems, "\n".join(problems)
