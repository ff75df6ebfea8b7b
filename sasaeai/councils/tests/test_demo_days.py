"""Demo meetings fall on days the community centres are open: never on a public holiday
(振替休日 and 国民の休日 too) nor over the New Year; such a meeting is held a week later."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.councils.demo import build_councils, closed, monthly_days
from sasaeai.councils.models import Meeting

SEED = 20261126
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("day", "shut"),
    [
        (dt.date(2026, 1, 1), True), (dt.date(2026, 1, 2), True), (dt.date(2026, 1, 3), True),
        (dt.date(2025, 12, 29), True), (dt.date(2026, 1, 5), False),
        (dt.date(2026, 1, 12), True),  # 成人の日
        (dt.date(2026, 5, 6), True),  # 振替休日
        (dt.date(2026, 9, 22), True),  # 国民の休日, between 敬老の日 and 秋分の日
        (dt.date(2026, 3, 20), True),  # 春分の日, worked out from the sun
        (dt.date(2026, 11, 26), False), (dt.date(2026, 12, 28), False),
    ],
)  # fmt: skip
def test_closed_days(day: dt.date, shut: bool) -> None:
    assert closed(day) is shut


def test_a_meeting_on_a_holiday_moves_a_week_later() -> None:
    # The second Monday of January is always 成人の日; the third Monday of July 海の日.
    days = monthly_days(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 1, 2, 0)
    assert days[0] == dt.date(2026, 1, 19) and dt.date(2026, 2, 9) in days
    july = monthly_days(dt.date(2026, 7, 1), dt.date(2026, 7, 31), 1, 3, 0)
    assert july == [dt.date(2026, 7, 27)]
    # The first weekday of January falls in the New Year holidays.
    assert monthly_days(dt.date(2027, 1, 1), dt.date(2027, 1, 31), 1, 1, 4) == [dt.date(2027, 1, 8)]


@pytest.mark.django_db
def test_no_demo_meeting_on_a_closed_day(itabashi: Any) -> None:
    build_councils(itabashi, SEED, TODAY)
    days = list(
        Meeting.objects.filter(council__municipality=itabashi).values_list("date", flat=True)
    )
    assert len(days) > 500
    assert [day for day in days if closed(day)] == []
    assert not [day for day in days if day.weekday() > 4]  # still on the council's weekday
