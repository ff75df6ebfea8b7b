"""Staff lists of a 年度 across the councils of an area: the meetings held, the decisions made
and the action items (decided, done, or open at the year's end). Each is narrowed by the rule
its figure counts with (figures.py), so that a figure's link lists exactly what it counts:
/staff/councils/meetings/?area=…&year=2025.

Without a year (or with one it cannot use, said next to the field) a list shows this 年度."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib.fiscal import fiscal_year_of, year_label
from sasaeai.lib.indicators import Scope
from sasaeai.lib.paths import under

from . import lookups
from .figures import ACTIONS, approved_decisions, decided, held
from .forms import ActionYearForm, YearListForm
from .models import ActionItem, Meeting

VIEW = lookups.VIEW
PER_PAGE = 50


@dataclass(frozen=True)
class Chosen:
    area: Area | None
    year: int
    scope: Scope
    which: str = ""


def _form[F: YearListForm](request: HttpRequest, form_class: type[F]) -> tuple[F, Chosen]:
    """The list's form (this 年度 unless another is asked) and what it narrows to."""
    today = timezone.localdate()
    data = QueryDict(mutable=True)
    data.update(request.GET)
    data.setdefault("year", str(fiscal_year_of(today)))
    form = form_class(data, areas=access.areas(request.user, VIEW))
    found = form.cleaned_data if form.is_valid() else {}
    year = found.get("year") or fiscal_year_of(today)
    which = found.get("which") or "decided"
    return form, Chosen(found.get("area"), year, Scope((), (year,), today), which)


def _within[QS: QuerySet[Any]](
    request: HttpRequest, queryset: QS, field: str, chosen: Chosen
) -> QS:
    """The records the user may see (`field`: the path to their area), in the area asked."""
    queryset = access.scope(request.user, queryset, VIEW, field)
    if chosen.area is not None:
        queryset = queryset.filter(under(chosen.area.path, f"{field}__path"))
    return queryset


def _page(
    request: HttpRequest, template: str, form: YearListForm, chosen: Chosen, rows: QuerySet[Any]
) -> HttpResponse:
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    same = {"area": chosen.area.pk} if chosen.area else {}
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "area": chosen.area,
        "year_label": year_label(chosen.year),
        "which": chosen.which,
        # The same area and year on the other two lists.
        "year_query": urlencode({**same, "year": chosen.year}),
    }
    return render(request, template, context)


@require_GET
@access.require(VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    form, chosen = _form(request, YearListForm)
    meetings = _within(request, Meeting.objects.select_related("council__area"), "council__area",
                       chosen)  # fmt: skip
    meetings = meetings.filter(held(chosen.scope, chosen.year))
    rows = meetings.order_by("date", "council__area__path", "number")
    return _page(request, "councils/staff/year_meetings.html", form, chosen, rows)


@require_GET
@access.require(VIEW)
def decision_list(request: HttpRequest) -> HttpResponse:
    form, chosen = _form(request, YearListForm)
    decisions = approved_decisions().select_related("minutes__meeting__council__area")
    decisions = _within(request, decisions, "minutes__meeting__council__area", chosen)
    decisions = decisions.filter(decided(chosen.scope, chosen.year))
    rows = decisions.order_by("minutes__meeting__date", "minutes__meeting__council__area__path",
                              "minutes__meeting__number", "order", "pk")  # fmt: skip
    return _page(request, "councils/staff/year_decisions.html", form, chosen, rows)


@require_GET
@access.require(VIEW)
def action_list(request: HttpRequest) -> HttpResponse:
    form, chosen = _form(request, ActionYearForm)
    actions = _within(request, ActionItem.objects.select_related("meeting__council__area"),
                      "meeting__council__area", chosen)  # fmt: skip
    actions = actions.filter(ACTIONS[chosen.which](chosen.scope, chosen.year))
    rows = actions.order_by("meeting__date", "meeting__council__area__path", "meeting__number",
                            "pk")  # fmt: skip
    return _page(request, "councils/staff/year_actions.html", form, chosen, rows)
