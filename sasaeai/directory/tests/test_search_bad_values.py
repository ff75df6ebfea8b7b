"""The public search sent values no page offers (a link typed by hand, a script): a choice
that is not in its list is told in plain Japanese, and nothing sent is shown back with its
control characters (Django's own message repeats the value: 「… は候補にありません」)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from .builders import make_activity

pytestmark = pytest.mark.django_db
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # the page's own newlines aside


@pytest.mark.parametrize(
    ("query", "told"),
    [
        ("kind=%01abc", "活動の種類は一覧から選んでください。"),
        ("weekday=%1f9", "曜日は一覧から選んでください。"),
        ("weekday=%008", "曜日は一覧から選んでください。"),
        ("area=nowhere%0b", "地域は一覧から選んでください。"),
        ("time=%07noon", "時間帯は一覧から選んでください。"),
    ],
)
def test_a_bad_choice_is_told_plainly_and_not_echoed(
    client: Client, itabashi: Any, query: str, told: str
) -> None:
    response = client.get(f"/activities/?{query}&near=%01,1")
    page = response.content.decode()
    assert response.status_code == 200
    assert told in page and "さがす条件を確認してください。" in page
    assert "候補にありません" not in page
    assert not CONTROLS.search(page)


def test_control_characters_in_the_words_are_dropped(client: Client, itabashi: Any) -> None:
    make_activity("いきいきサロン")
    response = client.get("/activities/?q=%01%E3%82%B5%E3%83%AD%E3%83%B3%00")  # \x01サロン\x00
    page = response.content.decode()
    assert [r.name for r in response.context["results"]] == ["いきいきサロン"]
    assert 'value="サロン"' in page and not CONTROLS.search(page)
