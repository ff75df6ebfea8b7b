"""In Chromium at phone width: a region SC opens the events, registers for a training, and
finds it in their history and calendar; ward staff look at the event, the plan and the
attendance. Every page is photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.events import services
from sasaeai.events.models import PlanTarget, Registration, RegistrationStatus
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

from .builders import at, kind, make_event

pytestmark = pytest.mark.browser


def test_sc_registers_for_a_training(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    training = make_event(
        title="第2回 第2層SC等研修会「会議の進め方」", capacity=40,
        venue="グリーンホール 601会議室", address="板橋区栄町36-1",
        latitude=35.7506, longitude=139.7079, description="事例の共有とグループワーク。",
    )  # fmt: skip
    make_event("blk-akatsuka", "block-liaison", title="赤塚ブロック連絡会")
    year = training.fiscal_year
    PlanTarget.objects.create(municipality=area("131199"), fiscal_year=year, kind=kind(),
                              min_count=2, max_count=3)  # fmt: skip
    past = make_event(title="第1回 第2層SC等研修会", starts_at=at(year, 4, 20))
    Registration.objects.create(event=past, user=sc, status=RegistrationStatus.REGISTERED,
                                attended=True, applied_at=timezone.now())  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, url, sc)
        page.goto(url + "/staff/events/")
        check_page(page, "events-list-sc", problems)
        page.get_by_role("link", name="第2回 第2層SC等研修会「会議の進め方」").click()
        page.wait_for_url("**/staff/events/*/")
        check_page(page, "events-detail-sc", problems)
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="申し込む").click()
        page.wait_for_url("**/staff/events/*/")
        main = page.get_by_role("main").inner_text()
        assert "申し込みました" in main and "申し込んでいます" in main
        check_page(page, "events-registered-sc", problems)
        page.goto(url + "/staff/events/history/")
        assert "第1回 第2層SC等研修会" in page.get_by_role("main").inner_text()
        check_page(page, "events-history-sc", problems)
        page.goto(url + "/staff/events/calendar/")
        check_page(page, "events-calendar-sc", problems)
        sign_out(page)

        sign_in(page, url, ward)
        page.goto(url + f"/staff/events/{training.pk}/")
        assert "高島 平子" in page.get_by_role("main").inner_text()
        check_page(page, "events-detail-staff", problems)
        page.goto(url + "/staff/events/new/")
        check_page(page, "events-new", problems)
        page.goto(url + "/staff/events/plan/")
        check_page(page, "events-plan", problems)
        page.goto(url + "/staff/events/plan/edit/")
        check_page(page, "events-plan-edit", problems)
        page.goto(url + "/staff/events/attendance/")
        check_page(page, "events-attendance", problems)
        page.goto(url + f"/staff/events/{past.pk}/attendance/")
        check_page(page, "events-attendance-record", problems)
        page.goto(url + "/staff/events/kinds/")
        check_page(page, "events-kinds", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    registration = Registration.objects.get(event=training)
    assert registration.user == sc and registration.status == RegistrationStatus.REGISTERED


def test_residents_read_the_public_page_and_staff_call_an_event_off(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区役所 一郎")
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    waiter = make_user("w@example.jp", Role.REGION_SC, "narimasu", display_name="成増 一子")
    make_event(
        "131199", "npo", title="地域づくりセミナー「担い手の見つけ方」", is_public=True,
        organiser="全国コミュニティサポートセンター", venue="グリーンホール 601会議室",
        address="板橋区栄町36-1", capacity=60, deadline=at(2099, 11, 26, 17),
        starts_at=at(2099, 12, 3, 14), how_to_apply="主催者に電話かメールでお申し込みください。",
        description="地域で活動する担い手の見つけ方を、事例から学びます。",
    )  # fmt: skip
    forum = make_event(
        "131199", "foundation", title="介護予防フォーラム「歩いて元気に」", is_public=True,
        organiser="公益財団法人さわやか福祉財団", venue="板橋区役所 大会議室",
        starts_at=at(2099, 12, 10, 13, 30), capacity=1,
    )  # fmt: skip
    services.register(forum, sc)
    services.register(forum, waiter)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    url = live_server.url
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        page.goto(url + "/events/")
        main = page.get_by_role("main").inner_text()
        assert "2099年12月3日（木）14:00〜16:00" in main and "主催者に電話か" in main
        check_page(page, "events-public", problems)

        sign_in(page, url, waiter)
        page.goto(url + f"/staff/events/{forum.pk}/")
        assert "キャンセル待ち 1番目です" in page.get_by_role("main").inner_text()
        check_page(page, "events-waiting-sc", problems)
        sign_out(page)

        sign_in(page, url, ward)
        page.goto(url + f"/staff/events/{forum.pk}/")
        page.get_by_role("link", name="中止にする").click()
        page.get_by_role("button", name="中止にして知らせる").click()
        assert "中止の理由を入れてください" in page.get_by_role("main").inner_text()
        check_page(page, "events-cancel-error", problems)
        page.get_by_label("中止の理由").fill("会場の設備点検が入ったため")
        page.get_by_role("button", name="中止にして知らせる").click()
        page.wait_for_url(f"**/staff/events/{forum.pk}/")
        assert "この研修・連絡会は中止になりました" in page.get_by_role("main").inner_text()
        check_page(page, "events-cancelled-staff", problems)
        page.goto(url + "/staff/events/")
        check_page(page, "events-list-cancelled", problems)
        sign_out(page)

        page.goto(url + "/events/")
        assert "会場の設備点検が入ったため" in page.get_by_role("main").inner_text()
        check_page(page, "events-public-cancelled", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    forum.refresh_from_db()
    assert forum.is_cancelled and forum.sequence == 1
