"""Two people write the same annual report at once: the second to save is told, nothing of
theirs is written, and a second press after looking saves (lib/optimistic.py) — also when
both opened it before anyone had begun it."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.reports.models import Report
from sasaeai.test import make_user

from .builders import YEAR, make_report

pytestmark = pytest.mark.django_db


def another_sc() -> Any:
    """A second SC of the region (the block's SC may read its route, not write it)."""
    return make_user("sc2@example.jp", Role.REGION_SC, "takashimadaira")


URL = f"/staff/reports/takashimadaira/{YEAR}/edit/"


def intro() -> str:
    return Report.objects.get(area__code="takashimadaira", fiscal_year=YEAR).intro


def test_the_second_writer_of_a_report_is_told(users: dict) -> None:
    make_report(intro="今年度は仲間が増えました。")
    second_saver_is_told(
        URL, (users["sc"], another_sc()), "intro",
        ("今年度は会議の仲間が5人増えました。", "今年度は体操の会が始まりました。"), intro,
    )  # fmt: skip


def test_two_who_opened_a_report_not_yet_begun_do_not_overwrite_each_other(users: dict) -> None:
    second_saver_is_told(
        URL, (users["sc"], another_sc()), "intro",
        ("はじめての報告です。", "わたしたちの地域の一年です。"), intro,
    )  # fmt: skip
