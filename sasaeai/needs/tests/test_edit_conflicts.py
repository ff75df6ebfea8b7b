"""Two staff edit the same need at once: the second to save is told, nothing of theirs is
written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.lib.tests.conflicts import (
    second_saver_is_told,
    second_saver_is_told_in_the_browser,
)
from sasaeai.needs.models import Need

from .builders import make_need

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_need_is_told(users: dict) -> None:
    need = make_need(what="買い物の荷物が重い。")
    second_saver_is_told(
        f"/staff/needs/{need.pk}/edit/", (users["sc"], users["block"]), "what",
        ("週2回、買い物の荷物を運んでほしい。", "月1回、病院への付き添いがほしい。"),
        lambda: Need.objects.get(pk=need.pk).what,
    )  # fmt: skip


@pytest.mark.browser
def test_in_the_browser_the_second_saver_sees_why_and_keeps_their_input(
    transactional_db: Any, live_server: Any
) -> None:
    from sasaeai.test import load_itabashi, load_other_town

    load_other_town()
    load_itabashi()
    need = make_need(what="買い物の荷物が重い。")
    second_saver_is_told_in_the_browser(
        live_server.url, f"/staff/needs/{need.pk}/edit/", f"/staff/needs/{need.pk}/",
        "困りごとの内容",
        ("週2回、買い物の荷物を運んでほしい。", "月1回、病院への付き添いがほしい。"),
        "needs-edit-conflict",
    )  # fmt: skip
    assert Need.objects.get(pk=need.pk).what == "週2回、買い物の荷物を運んでほしい。"
