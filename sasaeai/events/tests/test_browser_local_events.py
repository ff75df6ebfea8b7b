"""In Chromium at phone width: a resident finds a local 体験会 on their region's page, signs up
without an account and gets a receipt number; the region's SC sees the sign-up and the
flyer. Every page is photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.events.models import RegistrationStatus, Signup
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import at, make_local_event, make_signup

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_resident_signs_up_for_a_taiken_and_gets_a_receipt(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    event = make_local_event(
        title="いきいき体操 体験会", starts_at=at(2099, 5, 14, 13, 30), capacity=3,
        fee="無料", bring="動きやすい服装、タオル", venue="高島平地域センター 集会室",
        description="椅子に座ってできる体操です。はじめての方も、ゆっくり体験できます。",
    )  # fmt: skip
    make_signup(event, name="石川 一郎", people=2)
    make_local_event(title="ふれあい交流会", kind="social", starts_at=at(2099, 5, 20, 10))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport=PHONE) as page:
        page.goto(url + "/areas/takashimadaira/")
        check_page(page, "local-region", problems)
        page.set_viewport_size(PHONE)
        page.get_by_role("link", name="いきいき体操 体験会").click()
        page.wait_for_url(f"**/events/local/{event.pk}/")
        assert "あと 1人" in page.get_by_role("main").inner_text()
        check_page(page, "local-public", problems)
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="申し込む").click()
        main = page.get_by_role("main").inner_text()
        assert "電話番号かメールアドレスのどちらかを書いてください" in main
        check_page(page, "local-public-errors", problems)
        page.set_viewport_size(PHONE)
        page.get_by_label("お名前").fill("青木 花子")
        page.get_by_label("電話番号").fill("03-1234-5678")
        page.get_by_label("参加する人数（ご本人を含めて）").select_option("2")
        page.get_by_role("button", name="申し込む").click()
        page.wait_for_url("**/events/local/thanks/")
        main = page.get_by_role("main").inner_text()
        # Two do not fit in the one seat left: the waiting list, said plainly.
        assert "キャンセル待ちで受け付けました" in main and "受付番号" in main
        assert f"{event.pk}-002" in main
        check_page(page, "local-thanks", problems)
        page.goto(url + "/events/")
        check_page(page, "local-list", problems)

        sign_in(page, url, sc)
        page.goto(url + "/staff/events/local/")
        check_page(page, "local-staff-list", problems)
        page.goto(url + f"/staff/events/local/{event.pk}/")
        main = page.get_by_role("main").inner_text()
        assert "青木 花子" in main and "キャンセル待ち 1番目" in main
        check_page(page, "local-staff-detail", problems)
        page.goto(url + "/staff/events/local/new/")
        check_page(page, "local-staff-new", problems)
        flyer = page.request.get(url + f"/staff/events/local/{event.pk}/flyer.pdf")
        assert flyer.status == 200 and flyer.body().startswith(b"%PDF")
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    signup = Signup.objects.get(event=event, name="青木 花子")
    assert signup.status == RegistrationStatus.WAITING and signup.people == 2
