"""In the real Chromium: the ward adds a photo (with consent) and a PDF to a case, publishes
it and sees the photo on the public page; the themes and import pages. Every page passes
axe-core (WCAG 2.1 A/AA) at 390 and 1280 px, and its screenshots are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory.tests.photos import image_bytes
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, chromium_page, sign_in

from .. import services
from ..models import Audience, CaseFile, CasePhoto
from .builders import make_case
from .test_browser_knowhow import _check

pytestmark = pytest.mark.browser


def test_photos_files_themes_and_import_pages(
    transactional_db: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    load_itabashi()
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    case = make_case(by=ward, title="団地の朝の体操", audience=Audience.PUBLIC)
    photo = tmp_path / "taisou.jpg"
    photo.write_bytes(image_bytes((900, 600)))
    pdf = tmp_path / "チラシ.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    url = live_server.url
    with chromium_page([], viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, url, ward)
        page.goto(f"{url}/staff/knowhow/cases/{case.pk}/")
        page.locator("#id_image").set_input_files(str(photo))
        page.get_by_label("写真の説明").fill("朝7時、集会所の前で体操")
        page.get_by_label("写っている人が、載せることに同意している").check()
        page.get_by_role("button", name="写真を追加する").click()
        expect(page.get_by_text("写真を追加しました。")).to_be_visible()
        page.get_by_label("資料名").fill("参加者募集のチラシ")
        page.locator("#id_file").set_input_files(str(pdf))
        page.get_by_role("button", name="資料を追加する").click()
        expect(page.get_by_text("資料を追加しました。")).to_be_visible()
        _check(page, "case-attachments", problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        services.send_for_review(case, by=ward)
        services.publish(case, by=ward)
        page.goto(f"{url}/knowhow/{case.pk}/")
        expect(page.get_by_text("朝7時、集会所の前で体操")).to_be_visible()
        shown = page.locator(".case-photos img")
        shown.scroll_into_view_if_needed()  # drawn once loaded (decode waits for it; 0: broken)
        assert shown.evaluate("i => i.decode().then(() => i.naturalWidth, () => 0)") > 0
        _check(page, "public-case-photo", problems)
        page.goto(f"{url}/staff/knowhow/themes/")
        _check(page, "themes", problems)
        page.goto(f"{url}/staff/knowhow/import/")
        _check(page, "import", problems)
    assert not problems, "\n".join(problems)
    assert CasePhoto.objects.count() == 1 and CaseFile.objects.count() == 1
