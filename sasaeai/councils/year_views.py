"""Staff lists of a 年度 across the councils of an area: the meetings held (with the people who
came to each, of one sector if asked), the decisions made and the action items (decided, done, or
open at the year's end). Each is narrowed by the rule its figure counts with (figures.py), so that
a figure's link lists exactly what it counts, or, for attendance, the meetings whose people add up
to it: /staff/councils/meetings/?area=…&year=2025&sector=salon.

Without a year (or with one it cannot use, said next to the field) a list shows this 年度."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
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
from .figures import ACTIONS, approved_decisions, decided, guests_of, held, present
from .forms import ActionYearForm, MeetingYearForm, YearListForm
from .models import ActionItem, Meeting, Sector

VIEW = lookups.VIEW
PER_PAGE = 50


@dataclass(frozen=True)
class Chosen:
    area: Area | None
    year: int
    scope: Scope
    which: str = ""
    sector: str = ""


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
    scope = Scope((), (year,), today)
    return form, Chosen(found.get("area"), year, scope, which, found.get("sector") or "")


def _within[QS: QuerySet[Any]](
    request: HttpRequest, queryset: QS, field: str, chosen: Chosen
) -> QS:
    """The records the user may see (`field`: the path to their area), in the area asked."""
    queryset = access.scope(request.user, queryset, VIEW, field)
    if chosen.area is not None:
        queryset = queryset.filter(under(chosen.area.path, f"{field}__path"))
    return queryset


def _page(
    request: HttpRequest,
    template: str,
    form: YearListForm,
    chosen: Chosen,
    rows: QuerySet[Any],
    beside: Callable[[Any], Any] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The page of `rows` asked for; with `beside`, `shown` pairs each row on it with what
    `beside` says of it."""
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
        "shown": [(row, beside(row)) for row in page] if beside is not None else [],
        **extra,
    }
    return render(request, template, context)


@require_GET
@access.require(VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    form, chosen = _form(request, MeetingYearForm)
    meetings = Meeting.objects.select_related("council__area", "attendance")
    meetings = _within(request, meetings, "council__area", chosen)
    meetings = meetings.filter(held(chosen.scope, chosen.year))
    rows = meetings.order_by("date", "council__area__path", "number")
    if chosen.sector:
        here = present(chosen.sector).filter(attendance__meeting=OuterRef("pk")).order_by()
        counted = here.values("attendance__meeting").annotate(n=Count("pk")).values("n")
        rows = rows.annotate(present=Coalesce(Subquery(counted), 0))
    sector = Sector(chosen.sector).label if chosen.sector else ""
    return _page(
        request, "councils/staff/year_meetings.html", form, chosen, rows,
        beside=lambda meeting: _people(meeting, chosen.sector),
        people=_people_of(rows, chosen.sector), sector=sector,
    )  # fmt: skip


def _people(meeting: Meeting, sector: str) -> int | None:
    """Who came to a meeting, as the figures count them: the total recorded with its attendance,
    or the members of `sector` present and the guests counted under it. None: not recorded."""
    attendance = getattr(meeting, "attendance", None)
    if attendance is None:
        return None
    if not sector:
        return attendance.total
    return int(getattr(meeting, "present", 0)) + guests_of(attendance.guests, sector)


def _people_of(meetings: QuerySet[Meeting], sector: str) -> int:
    """The people who came to all these meetings (`_people` added up), in one or two queries."""
    if not sector:
        return meetings.aggregate(n=Sum("attendance__total"))["n"] or 0
    members = present(sector).filter(attendance__meeting__in=meetings.values("pk")).count()
    guests = meetings.values_list("attendance__guests", flat=True)
    return members + sum(guests_of(counted, sector) for counted in guests if counted)


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
