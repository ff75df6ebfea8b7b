"""The surveys' indicators (lib/indicators.py): surveys carried out and the answers they got,
per 年度. A survey belongs to its area and to the year it was published (opened to answers); an
answer to the year it was sent or typed in from paper.

Both link to the staff survey list of an area in a year (views.py), read by the same rules: the
surveys published in it (`held`, ?in_year=held), or those answered in it, each with its answers
of the year (`answered`), which add up to the figure (?in_year=answered)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Link, Scope, address, register, tally

from .models import Survey

GROUP = _("アンケート")


def held(scope: Scope, year: int) -> Q:
    """Surveys published (opened to answers) in the year."""
    return scope.during("published_at", year, timed=True)


def answered(scope: Scope, year: int) -> Q:
    """A survey's answers (`responses`) that came in the year: a filter of their count."""
    return scope.during("responses__submitted_at", year, timed=True)


def count(scope: Scope) -> Found:
    """Surveys and answers in one query (distinct counts over the join of the answers)."""
    return tally(
        Survey.objects.all(),
        scope,
        {
            "surveys.held": lambda year: held(scope, year),
            "surveys.answers": lambda year: Count(
                "responses", filter=answered(scope, year), distinct=True
            ),
        },
        distinct=True,
    )


def _list(reading: str) -> Link:
    """The survey list of an area's surveys read in a year as the figure reads them."""

    def link(area: Any, year: int, part: str) -> str:
        return address("surveys_staff:surveys", area=area.pk, year=year, in_year=reading)

    return link


register(
    Indicator(
        "surveys.held", GROUP, _("行ったアンケート"), count, link=_list("held"),
        note=_("年度中に回答の受付を始めたアンケート"),
    ),
    Indicator(
        "surveys.answers", GROUP, _("アンケートの回答"), count, link=_list("answered"),
        note=_("年度中に届いた回答（紙の回答を入力したものを含む）"),
    ),
)  # fmt: skip
