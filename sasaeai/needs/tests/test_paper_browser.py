"""In Chromium: the region's SC finds the paper need form from the needs list, attaches a
returned sheet (a scan of the printed form) by its reference, and types the need beside its
image. Every page is photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import pages, png
from sasaeai.needs.models import Need, NeedSheet
from sasaeai.needs.paper_print import sheets_pdf
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser


def test_the_sc_attaches_a_sheet_and_types_the_need_beside_it(
    transactional_db: Any, live_server: Any, tmp_path: Path
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    sheet = paper_forms.issue(NeedSheet, 1, by=user, area=area("takashimadaira"))[0]
    if shutil.which("pdftoppm"):  # the printed form itself, as a scanner gives it back
        scan = pages(sheets_pdf([sheet], live_server.url), tmp_path, "need-sheet-scan")[0]
    else:
        scan = tmp_path / "scan.png"
        scan.write_bytes(png(827, 1169))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, live_server.url, user)
        page.goto(live_server.url + "/staff/needs/")
        page.get_by_role("link", name="紙の受付票（FAX）").click()
        page.wait_for_url("**/staff/needs/paper/")
        assert sheet.reference in page.get_by_role("main").inner_text()
        check_page(page, "paper-needs-index", problems)
        page.get_by_role("link", name="戻ってきた用紙を取り込む").first.click()
        page.wait_for_url("**/staff/needs/paper/attach/")
        check_page(page, "paper-needs-attach", problems)
        page.get_by_label("受付票番号").fill("N-2345-6789")  # a slip of the pen
        page.get_by_label("戻ってきた用紙（スキャンか写真）").set_input_files(str(scan))
        page.get_by_role("button", name="取り込む").click()
        assert "打ち間違い" in page.get_by_role("alert").inner_text()
        check_page(page, "paper-needs-attach-errors", problems)
        page.get_by_label("受付票番号").fill(sheet.reference.lower())
        page.get_by_label("戻ってきた用紙（スキャンか写真）").set_input_files(str(scan))
        page.get_by_role("button", name="取り込む").click()
        page.wait_for_url(f"**/staff/needs/paper/{sheet.pk}/")
        image = page.get_by_role("img", name=f"戻ってきた用紙 {sheet.reference} の画像")
        assert image.evaluate("img => img.naturalWidth") > 100  # the picture itself loads
        check_page(page, "paper-needs-sheet", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_label("種類").select_option(label="買い物")
        page.get_by_label("困りごとの内容").fill("坂の上に住んでいて、重い物を買って帰れない。")
        page.get_by_role("button", name="困りごとを記録する").click()
        page.wait_for_url("**/staff/needs/*/")
        main = page.get_by_role("main").inner_text()
        assert "もとの紙の受付票" in main and sheet.reference in main
        check_page(page, "paper-needs-need", problems)
    assert not problems, "\n".join(problems)
    need = Need.objects.get()
    assert need.paper_sheet == NeedSheet.objects.get() and need.area.code == "takashimadaira"
