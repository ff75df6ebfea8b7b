"""In Chromium: an SC adds a photo to a meeting's minutes, sees it on the meeting's photos
page, and finds it offered on the annual report's edit page; each page photographed at 390
and 1280 px and checked with axe-core."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from sasaeai.accounts.models import Role
from sasaeai.councils.models import Meeting
from sasaeai.reports.tests.builders import YEAR, make_year
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser


def test_sc_adds_a_meeting_photo_and_chooses_it_for_the_report(
    transactional_db: Any, live_server: Any, tmp_path: Path
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    make_year()
    meeting = Meeting.objects.get()
    picture = tmp_path / "meeting.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 200)).save(out, "JPEG")
    picture.write_bytes(out.getvalue())
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as page:
        sign_in(page, live_server.url, user)

        page.goto(f"{live_server.url}/staff/councils/meetings/{meeting.pk}/photos/")
        check_page(page, "meeting-photos-empty", problems)
        page.locator("input[name=image]").set_input_files(str(picture))
        page.get_by_label("写真の説明").fill("グループごとに意見を出し合いました")
        page.get_by_role("button", name="写真を追加する").click()
        shown = page.get_by_role("img", name="グループごとに意見を出し合いました")
        shown.wait_for()
        assert shown.evaluate("img => img.naturalWidth") > 0  # the file is served to the SC
        check_page(page, "meeting-photos", problems)

        page.goto(f"{live_server.url}/staff/reports/takashimadaira/{YEAR}/edit/")
        choice = page.get_by_role("group", name="報告に載せる写真")
        assert "グループごとに意見を出し合いました" in choice.inner_text()
        check_page(page, "report-edit-photos", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "error" in m.lower()], console
