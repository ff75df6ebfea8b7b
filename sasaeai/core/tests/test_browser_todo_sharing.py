"""In Chromium at phone width: the ward's staff see on their home the know-how sharing
requests waiting for their approval, the oldest first, and open it to decide. The home is
photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.knowhow import sharing_services
from sasaeai.knowhow.models import Case, CaseStatus
from sasaeai.knowhow.tests.builders import make_case, make_question
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_ward_sees_sharing_requests_and_opens_the_oldest(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区 一郎")
    case = make_case(title="団地の朝の体操で仲間が増えた", by=sc, status=CaseStatus.PUBLISHED)
    sharing_services.ask(case, by=sc)
    Case.objects.filter(pk=case.pk).update(share_asked_at=timezone.now() - dt.timedelta(days=6))
    sharing_services.ask(make_question(sc), by=sc)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport=PHONE) as page:
        sign_in(page, live_server.url, ward)
        todo = page.get_by_role("region", name="あなたを待っている仕事")
        kind = todo.get_by_role("listitem").filter(has_text="他の自治体への共有の申請")
        text = kind.first.inner_text()
        check_page(page, "staff-home-sharing", problems)
        page.set_viewport_size(PHONE)
        kind.first.get_by_role("link", name="団地の朝の体操で仲間が増えた（事例）").click()
        page.wait_for_url(f"**/staff/knowhow/cases/{case.pk}/")
        decide = page.get_by_role("button", name="承認して共有する").count()
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    assert "2 件" in text and "6日前" in text and "今日" in text
    assert text.index("団地の朝の体操") < text.index("男性の参加者を増やすには？")
    assert decide == 1
