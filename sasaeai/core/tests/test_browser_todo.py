"""In Chromium at phone width: a region SC signs in, sees on the home what waits on them and
opens the overdue action's meeting. The home is photographed at 390 and 1280 px and checked
with axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.councils.tests.builders import make_action, make_council, make_meeting
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

pytestmark = pytest.mark.browser


def test_sc_sees_the_overdue_action_and_opens_it(transactional_db: Any, live_server: Any) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    today = timezone.localdate()
    meeting = make_meeting(make_council(), date=today - dt.timedelta(days=40))
    make_action(meeting, "掲示板にチラシを貼る", due_on=today - dt.timedelta(days=12))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, live_server.url, sc)
        todo = page.get_by_role("region", name="あなたを待っている仕事")
        item = todo.get_by_role("listitem").filter(has_text="掲示板にチラシを貼る").last
        assert "12日前" in item.inner_text()
        check_page(page, "staff-home-todo", problems)
        page.set_viewport_size({"width": 390, "height": 844})
        item.get_by_role("link", name="掲示板にチラシを貼る").click()
        page.wait_for_url(f"**/staff/councils/meetings/{meeting.pk}/")
        assert "掲示板にチラシを貼る" in page.get_by_role("main").inner_text()
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
