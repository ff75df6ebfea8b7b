"""In Chromium: the region's SC prints the sign-up sheet from a local event's page, attaches
the returned sheet and types its rows beside the image. Every page is photographed at 390
and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.events.models import EventSheet, Signup
from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import png
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import make_local_event

pytestmark = pytest.mark.browser


def test_the_sc_types_a_returned_sign_up_sheet(
    transactional_db: Any, live_server: Any, tmp_path: Any
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    event = make_local_event(title="いきいき体操 体験会", capacity=10)
    sheet = paper_forms.issue(EventSheet, 1, by=user, event=event)[0]
    scan = tmp_path / "scan.png"
    scan.write_bytes(png(827, 1169))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/staff/events/local/{event.pk}/")
        assert sheet.reference in page.get_by_role("main").inner_text()
        check_page(page, "paper-events-detail", problems)
        page.get_by_role("link", name="戻ってきた用紙を取り込む").click()
        page.wait_for_url("**/staff/events/local/paper/attach/")
        check_page(page, "paper-events-attach", problems)
        page.get_by_label("受付票番号").fill(sheet.reference)
        page.get_by_label("戻ってきた用紙（スキャンか写真）").set_input_files(str(scan))
        page.get_by_role("button", name="取り込む").click()
        page.wait_for_url(f"**/staff/events/local/paper/{sheet.pk}/")
        check_page(page, "paper-events-sheet", problems)
        first = page.get_by_role("group", name="1行目")
        first.get_by_label("お名前").fill("青木 一郎")
        first.get_by_label("電話番号").fill("03-1234-5678")
        first.get_by_label("人数").fill("2")
        page.get_by_role("button", name="申込みを受け付ける").click()
        page.wait_for_url(f"**/staff/events/local/paper/{sheet.pk}/")
        assert "1件の申込みを受け付けました。" in page.get_by_role("main").inner_text()
        check_page(page, "paper-events-sheet-done", problems)
    assert not problems, "\n".join(problems)
    assert Signup.objects.get().name == "青木 一郎"
