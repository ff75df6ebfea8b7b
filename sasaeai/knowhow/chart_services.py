"""The forum chart's steps: open a chart with its twelve cells, tally a tap once, close it;
and the grid and the comparison with the region's earlier sessions, as plain data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChartAnswer, ChartCell, ChartRow, ChartTap, ForumChart

ADD, UNDO = "add", "undo"
CLOSED = _("このチャートは締め切りました。数はもう変えられません。")


def open_chart(chart: ForumChart, by: Any) -> ForumChart:
    """Save a new chart with its twelve cells at 0."""
    with transaction.atomic():
        chart.opened_by = by if getattr(by, "pk", None) else None
        chart.save()
        ChartCell.objects.bulk_create(
            ChartCell(chart=chart, row=row, answer=answer)
            for row in ChartRow.values
            for answer in ChartAnswer.values
        )
    return chart


@dataclass(frozen=True)
class Tapped:
    count: int  # the cell's count after the tap
    counted: bool  # False: the token was seen already, or an undo at 0


def tap(chart: ForumChart, row: str, answer: str, token: uuid.UUID, action: str) -> Tapped:
    """One tap on a cell: +1, or an undo (never below 0). A token already seen changes
    nothing (a double tap, a form sent again): its unique row, inserted first, decides, so two
    copies arriving at the same moment count once. A closed chart refuses (ValidationError)."""
    cell = ChartCell.objects.filter(chart=chart, row=row, answer=answer)
    with transaction.atomic():
        # Locked, so that closing waits for a tap under way and a tap after it sees it closed.
        open_one = ForumChart.objects.select_for_update().filter(pk=chart.pk, closed_at=None)
        if not open_one.exists():
            raise ValidationError(CLOSED)
        try:
            with transaction.atomic():
                made = ChartTap.objects.create(
                    chart=chart, token=token, row=row, answer=answer, change=0
                )
        except IntegrityError:
            return Tapped(cell.values_list("count", flat=True).get(), counted=False)
        if action == ADD:
            changed = cell.update(count=F("count") + 1)
        else:
            changed = cell.filter(count__gt=0).update(count=F("count") - 1)
        if changed:
            made.change = 1 if action == ADD else -1
            made.save(update_fields=["change"])
    return Tapped(cell.values_list("count", flat=True).get(), counted=bool(changed))


def close(chart: ForumChart) -> ForumChart:
    """Close the chart: from now on it is read only (its result stays with the region)."""
    with transaction.atomic():
        ForumChart.objects.select_for_update().filter(pk=chart.pk).exists()
        chart.closed_at = timezone.now()
        chart.save(update_fields=["closed_at"])
    return chart


@dataclass(frozen=True)
class Cell:
    row: str
    row_label: str
    answer: str
    answer_label: str
    count: int
    earlier: tuple[int | None, ...] = ()  # the same cell in earlier sessions, oldest first

    @property
    def change(self) -> str | None:
        """Against the last earlier session, signed ("+3", "-2", "±0"); None without one."""
        last = self.earlier[-1] if self.earlier else None
        if last is None:
            return None
        diff = self.count - last
        return f"{diff:+d}" if diff else "±0"


def counts(chart: ForumChart) -> dict[tuple[str, str], int]:
    return {(c.row, c.answer): c.count for c in chart.cells.all()}


def grid(chart: ForumChart, earlier: list[ForumChart] | None = None) -> list[list[Cell]]:
    """The chart's cells, one list per kind of activity, the answers in order; with `earlier`
    sessions, each cell carries their counts too (None where a session lacks the cell)."""
    mine = counts(chart)
    theirs: dict[int, dict[tuple[str, str], int]] = {c.pk: {} for c in earlier or []}
    for found in ChartCell.objects.filter(chart__in=list(theirs)):
        theirs[found.chart_id][found.row, found.answer] = found.count
    return [
        [
            Cell(row, str(row_label), answer, str(answer_label), mine.get((row, answer), 0),
                 tuple(theirs[c.pk].get((row, answer)) for c in earlier or []))
            for answer, answer_label in ChartAnswer.choices
        ]
        for row, row_label in ChartRow.choices
    ]  # fmt: skip


def totals(rows: list[list[Cell]]) -> list[int]:
    """Per answer, the sum over the kinds of activity."""
    return [sum(r[i].count for r in rows) for i in range(len(ChartAnswer.values))]
