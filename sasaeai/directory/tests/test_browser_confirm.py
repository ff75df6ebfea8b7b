"""In the real Chromium (issue 30): an organiser opens the postcard's link on a phone (390 px),
taps 「変わりありません」, then sends a correction; the SC sees the season's progress. Every
page is checked with axe-core for WCAG 2.1 A/AA, at phone and desktop widths."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory import confirm
from sasaeai.directory.models import Answer, ConfirmationRequest, Proposal
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .confirm_builders import make_request, make_season

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_an_organiser_confirms_from_a_phone(transactional_db: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    season = make_season()
    salon = make_activity("高島平ひだまりサロン", fee="100円")
    request, code = make_request(salon, season)
    make_request(make_activity("高島平ウォーキング"), season)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(f"{live_server.url}/confirm/{code}/")  # as the QR code opens it
        expect(page.get_by_role("heading", name="高島平ひだまりサロン")).to_be_visible()
        check_page(page, "confirm-answer", problems)
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="変わりありません").tap()
        expect(page.get_by_text("「変わりなし」と受け付けました")).to_be_visible()
        check_page(page, "confirm-answered", problems)
        page.set_viewport_size(PHONE)

        page.get_by_role("link", name="もう一度、直すところを知らせる").tap()
        page.get_by_label("参加費").fill("200円")
        page.get_by_label("いまはお休みしています").check()
        page.get_by_role("button", name="送る").tap()
        expect(page.get_by_text("コーディネーターに届けました").first).to_be_visible()
        page.goto(f"{live_server.url}/confirm/{code}/correct/")
        page.get_by_role("button", name="送る").tap()  # nothing changed: the error in words
        expect(page.get_by_text("変わったところがありません").first).to_be_visible()
        check_page(page, "confirm-correct-error", problems)
        page.goto(f"{live_server.url}/confirm/")
        check_page(page, "confirm-enter", problems)

        sign_in(page, live_server.url, sc)
        page.goto(f"{live_server.url}/staff/confirm/")
        check_page(page, "confirm-staff-index", problems)
        page.goto(f"{live_server.url}/staff/confirm/{season.pk}/")
        check_page(page, "confirm-staff-season", problems)
        page.goto(f"{live_server.url}/staff/confirm/batches/{request.batch_id}/")
        check_page(page, "confirm-staff-batch", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    found = ConfirmationRequest.objects.get(pk=request.pk)
    assert found.answer == Answer.CORRECTED
    assert "正しくは: 200円" in Proposal.objects.get(activity=salon).details
    assert confirm.find(code) == found
