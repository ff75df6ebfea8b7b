"""The surveys' indicators (lib/indicators.py): surveys carried out and the answers they got,
per 年度. A survey belongs to its area and to the year it was published (opened to answers); an
answer to the year it was sent or typed in from paper. The survey list has no area or year
filter, so neither links anywhere yet."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Scope, register, tally

from .models import Survey

GROUP = _("アンケート")


def count(scope: Scope) -> Found:
    """Surveys and answers in one query (distinct counts over the join of the answers)."""
    return tally(
        Survey.objects.all(),
        scope,
        {
            "surveys.held": lambda year: scope.during("published_at", year, timed=True),
            "surveys.answers": lambda year: Count(
                "responses",
                filter=scope.during("responses__submitted_at", year, timed=True),
                distinct=True,
            ),
        },
        distinct=True,
    )


register(
    Indicator(
        "surveys.held", GROUP, _("行ったアンケート"), count,
        note=_("年度中に回答の受付を始めたアンケート"),
    ),
    Indicator(
        "surveys.answers", GROUP, _("アンケートの回答"), count,
        note=_("年度中に届いた回答（紙の回答を入力したものを含む）"),
    ),
)  # fmt: skip
