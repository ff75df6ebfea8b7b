"""In Chromium: the region's SC finds the booklet from the staff home, writes the welcome,
previews it and downloads the PDF. Every page is photographed at 390 and 1280 px and checked
with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.booklets.models import Edition
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import make_column, make_edition, make_long_activity, pdf_text, png

pytestmark = pytest.mark.browser


def test_the_sc_writes_the_welcome_previews_and_downloads(
    transactional_db: Any, live_server: Any, tmp_path: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    make_activity(
        "いきいきサロン高島平", kana="いきいきさろんたかしまだいら", audience="65歳以上の方"
    )
    make_long_activity()
    edition = make_edition(welcome="")
    make_column(edition, "地域のはなし", photo=png())
    make_column(edition, "写真が壊れたコラム", photo=b"broken")
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, base, sc)
        page.get_by_role("link", name="ガイドブック（冊子）").click()
        page.wait_for_url("**/staff/booklets/takashimadaira/")
        check_page(page, "booklets-area", problems)
        page.get_by_role("link", name="シニアガイドブック 2026年度版").click()
        check_page(page, "booklets-edition", problems)
        page.get_by_role("link", name="文章を書く（表紙・あいさつ・問い合わせ先）").click()
        page.get_by_label("はじめのあいさつ").fill(
            "高島平の皆さん、地域の集まりに出かけてみませんか。"
        )
        check_page(page, "booklets-texts", problems)
        page.get_by_role("button", name="保存する").click()
        page.wait_for_url(f"**/staff/booklets/editions/{edition.pk}/")
        page.get_by_role("link", name="画面で見る（プレビュー）").click()
        main = page.get_by_role("main").inner_text()
        assert "地域の集まりに出かけてみませんか" in main
        assert "画像として読めないため、載せていません" in main
        check_page(page, "booklets-preview", problems)
        page.go_back()
        # Made while the SC waits (a few seconds; far longer on a busy test machine).
        page.get_by_role("button", name="PDFを作る").click(timeout=300_000)
        page.wait_for_url(f"**/staff/booklets/editions/{edition.pk}/")
        with page.expect_download() as download:
            page.get_by_role("link", name="PDFをダウンロード").click()
        saved = tmp_path / "guidebook.pdf"
        download.value.save_as(saved)
        check_page(page, "booklets-made", problems)
        sign_out(page)
    assert not problems, "\n\n".join(problems)
    assert not console, console
    text = pdf_text(saved.read_bytes())
    assert "地域の集まりに出かけてみませんか" in text
    assert Edition.objects.get().job_status == "done"
