"""The rows of a know-how list, read for one page's ids with only what a row shows.

A case row (`_case_row.html`, on the case list and the home page) is read as values in three
small queries — the rows with their area's name, their ★ questions, their themes' names — and
kept as a `CaseRow`: a case's texts and search words are most of its table row, and building a
model object for every case, area, theme and ★ of the page, with Django's prefetching, cost as
much as drawing the rows (issue 27, bench/README.md). A question row (`questions/_row.html`,
also drawn from the questions' own pages with their model objects) loads only its columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from sasaeai.progress.models import Stage

from .models import AskedQuestion, AskedStar, Case, CaseQuestion, CaseStatus, Question, Theme


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as a row of a list shows it."""

    pk: int
    title: str
    area_name: str
    happened_on: dt.date
    stage: str  # its label
    status: str
    status_label: str
    useful_count: int
    questions: list[str]  # the ★ questions' labels, in the guidebook's order
    themes: list[str]  # the themes' names, in the municipality's order


def cases(ids: Collection[int]) -> dict[int, CaseRow]:
    """The rows of the cases `ids` (those that still exist), by id."""
    columns = ("pk", "title", "area__name", "happened_on", "stage", "status", "useful_count")
    found = Case.objects.filter(pk__in=ids).order_by().values_list(*columns)
    held: dict[int, set[str]] = defaultdict(set)
    for case, question in CaseQuestion.objects.filter(case__in=ids).values_list("case", "question"):
        held[case].add(question)
    themes: dict[int, list[str]] = defaultdict(list)
    links = Case.themes.through.objects.filter(case__in=ids).order_by("theme__sort_order", "theme")
    for case, name in links.values_list("case", "theme__name"):
        themes[case].append(name)
    stages = {value: str(label) for value, label in Stage.choices}
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    questions = [(value, str(label)) for value, label in Question.choices]
    return {
        pk: CaseRow(
            pk=pk, title=title, area_name=area, happened_on=day, stage=stages.get(stage, ""),
            status=status, status_label=statuses.get(status, status), useful_count=useful,
            questions=[label for value, label in questions if value in held[pk]],
            themes=themes[pk],
        )
        for pk, title, area, day, stage, status, useful in found
    }  # fmt: skip


def questions(ids: Collection[int]) -> dict[int, AskedQuestion]:
    """The questions `ids` with only the columns a row shows, their area, block, themes and ★."""
    columns = ("title", "created_at", "answer_count", "helpful_answer", "area__name",
               "block__name")  # fmt: skip
    found = AskedQuestion.objects.filter(pk__in=ids).select_related("area", "block")
    stars = Prefetch("stars", AskedStar.objects.only("question_id", "star"))
    themes = Prefetch("themes", Theme.objects.only("name"))
    return {q.pk: q for q in found.only(*columns).prefetch_related(themes, stars)}


ROWS: dict[type[Any], Callable[[Collection[int]], dict[int, Any]]] = {
    Case: cases,
    AskedQuestion: questions,
}
