"""Small builders of forum charts for the tests (and the URL sweep)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sasaeai.test import area

from .. import chart_services
from ..models import ChartCell, ForumChart


def make_chart(
    area_code: str = "takashimadaira",
    title: str = "高島平 支え合いフォーラム",
    *,
    held_on: dt.date = dt.date(2026, 6, 1),
    counts: dict[tuple[str, str], int] | None = None,
    closed: bool = False,
    by: Any = None,
    **fields: Any,
) -> ForumChart:
    """A chart opened through the service, its cells set to `counts`, closed when asked."""
    chart = ForumChart(area=area(area_code), title=title, held_on=held_on, **fields)
    chart = chart_services.open_chart(chart, by=by)
    for (row, answer), n in (counts or {}).items():
        ChartCell.objects.filter(chart=chart, row=row, answer=answer).update(count=n)
    if closed:
        chart_services.close(chart)
    return chart


def tap_data(row: str = "gathering", answer: str = "want", action: str = "add",
             token: str = "") -> dict[str, str]:  # fmt: skip
    return {"row": row, "answer": answer, "action": action, "token": token or str(uuid.uuid4())}


def count_of(chart: ForumChart, row: str = "gathering", answer: str = "want") -> int:
    return ChartCell.objects.get(chart=chart, row=row, answer=answer).count
