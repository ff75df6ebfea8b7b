"""The forum chart (助け合い見える化チャート): the region's charts, opening one, the tally on
a tablet or phone, the projector view, and the result beside the region's earlier sessions."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access

from . import chart_lookups as lookups
from . import chart_services as services
from .chart_forms import ChartForm, TapForm
from .models import ChartAnswer, ChartRow, ForumChart

VIEW, EDIT = lookups.VIEW, lookups.EDIT
PER_PAGE = 30
COMPARED = 4  # earlier sessions shown beside this one


@require_GET
@access.require(VIEW)
def chart_list(request: HttpRequest) -> HttpResponse:
    """The charts of the regions this person sees, newest first."""
    found = lookups.charts(request).order_by("-held_on", "-pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "may_open": lookups.regions(request.user).exists()}
    return render(request, "knowhow/chart/list.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def chart_new(request: HttpRequest) -> HttpResponse:
    regions = lookups.regions(request.user)
    if not regions.exists():
        access.refuse(request, "lacks edit on a region")
    data = request.POST if request.method == "POST" else None
    only = regions.first() if regions.count() == 1 else None  # a region SC's own region
    form = ChartForm(data, regions=regions, meetings=lookups.meetings(request.user),
                     initial={"held_on": timezone.localdate(), "area": only})  # fmt: skip
    if data is not None and form.is_valid():
        chart = services.open_chart(form.save(commit=False), by=request.user)
        messages.success(request, _("チャートを作りました。手が挙がった数をボタンで数えます。"))
        return redirect("knowhow_staff:chart_tally", chart.pk)
    return render(request, "knowhow/chart/form.html", {"form": form})


@require_GET
@access.require(VIEW)
def chart_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The result, printable on A4, beside the region's earlier sessions."""
    chart = lookups.chart(request, pk)
    earlier = list(ForumChart.objects.earlier_than(chart))[-COMPARED:]
    rows = services.grid(chart, earlier)
    context = {
        "chart": chart, "rows": rows, "earlier": earlier, "answers": ChartAnswer.labels,
        "totals": services.totals(rows), "may_tally": lookups.may_tally(request.user, chart),
    }  # fmt: skip
    return render(request, "knowhow/chart/page.html", context)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def chart_tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Big buttons, +1 and undo per cell. Each button carries a token made for this page; a
    token sent twice counts once. htmx swaps the grid; without JavaScript, POST and redirect."""
    chart = lookups.chart(request, pk, EDIT)
    said, failed = "", False
    if request.method == "POST":
        said, failed = _tap(chart, TapForm(request.POST))
        if not request.htmx:  # type: ignore[attr-defined]
            (messages.error if failed else messages.success)(request, said)
            return redirect("knowhow_staff:chart_tally", chart.pk)
    elif chart.is_closed:
        said, failed = str(services.CLOSED), True
    context = {"chart": chart, "rows": _with_tokens(services.grid(chart)),
               "said": said, "failed": failed}  # fmt: skip
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowhow/chart/_tally_grid.html", context)
    return render(request, "knowhow/chart/tally.html", context)


def _tap(chart: ForumChart, form: TapForm) -> tuple[str, bool]:
    """What the facilitator is told after a tap, and whether it failed."""
    if not form.is_valid():
        return _("うまく届きませんでした。もう一度押してください。"), True
    data = form.cleaned_data
    try:
        done = services.tap(chart, data["row"], data["answer"], data["token"], data["action"])
    except ValidationError as error:
        chart.refresh_from_db(fields=["closed_at"])
        return " ".join(error.messages), True
    label = _label(data["row"], data["answer"])
    if data["action"] == services.UNDO and not done.counted and done.count == 0:
        return _("%(cell)s は 0 です。これより減らせません。") % {"cell": label}, False
    return _("%(cell)s: いま %(n)d 人") % {"cell": label, "n": done.count}, False


def _label(row: str, answer: str) -> str:
    return f"{ChartRow(row).label}・{ChartAnswer(answer).label}"


def _with_tokens(rows: list[list[services.Cell]]) -> list[list[dict[str, Any]]]:
    """Each cell with a fresh token for its +1 and its undo button."""
    return [[{"cell": c, "add": uuid.uuid4(), "undo": uuid.uuid4()} for c in row] for row in rows]


@require_GET
@access.require(VIEW)
def chart_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """For the projector: large and high-contrast, asked again every few seconds by htmx
    (this same view answers the grid alone); without JavaScript, a button to reload."""
    chart = lookups.chart(request, pk)
    rows = services.grid(chart)
    context = {"chart": chart, "rows": rows, "answers": ChartAnswer.labels,
               "totals": services.totals(rows)}  # fmt: skip
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowhow/chart/_screen_grid.html", context)
    return render(request, "knowhow/chart/screen.html", context)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def chart_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the session: the chart is read only from now on. The 締め切る button on the
    tally and result pages only asks first (GET, this page: a stray tap on a tablet closes
    nothing); its own button closes. Closing twice says it is closed already."""
    chart = lookups.chart(request, pk, EDIT)
    if request.method == "GET":
        if chart.is_closed:
            messages.info(request, _("このチャートはもう締め切っています。"))
            return redirect("knowhow_staff:chart", chart.pk)
        totals = services.totals(services.grid(chart))
        context = {
            "chart": chart, "totals": list(zip(ChartAnswer.labels, totals, strict=True)),
            "from_tally": request.GET.get("from") == "tally",
        }  # fmt: skip
        return render(request, "knowhow/chart/close.html", context)
    if chart.is_closed:
        messages.info(request, _("このチャートはもう締め切っています。"))
    else:
        services.close(chart)
        messages.success(request, _("締め切りました。結果は地域の記録として残ります。"))
    return redirect("knowhow_staff:chart", chart.pk)
