"""Staff pages of the annual report (年度活動報告): the areas' reports of a 年度, one report
with its versions, comments and history, writing it beside the year's facts, the review steps,
and the report as PDF, .docx and .xlsx."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import FIRST_YEAR, LAST_YEAR, year_asked, year_label

from . import document, lookups, pictures, services
from .forms import CommentForm, NarrativeForm, PhotoChoiceForm
from .models import Notice, Report, ReportStatus, ReportVersion

VIEW = lookups.VIEW


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def chosen(request: HttpRequest, report: Report | None) -> ReportVersion | None:
    """The approved version asked for (?version=N; 404 for one never approved); without it,
    the latest one while the report stands approved, else none (the draft as written)."""
    asked = request.GET.get("version", "")
    if asked:
        number = int(asked) if asked.isdigit() and len(asked) <= 4 else None
        found = lookups.version(report, number) if report and number else None
        if found is None:
            raise Http404
        return found
    if report is not None and report.status == ReportStatus.APPROVED:
        return lookups.version(report, report.version)
    return None


@require_GET
@access.require(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The reports of the areas this person follows, in one 年度."""
    year = year_asked(request)
    places = list(lookups.areas(request))
    reports = {r.area_id: r for r in Report.objects.filter(area__in=places, fiscal_year=year)}
    context = {
        "year": year, "year_label": year_label(year), "previous": year - 1, "next": year + 1,
        "rows": [(place, reports.get(place.pk)) for place in places],
    }  # fmt: skip
    return render(request, "reports/index.html", context)


@require_GET
@access.require(VIEW)
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """An area's report of the 年度 asked (?year=), else this one: where the council's page
    leads."""
    return _report(request, code, year_asked(request))


@require_GET
@access.require(VIEW)
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A report: the approved version asked for, or the one being written, with its review."""
    return _report(request, code, year)


def _report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    area = lookups.area(request, code)
    report = lookups.report(area, _year(year))
    version = chosen(request, report)
    if report is not None:
        Notice.objects.for_user(request.user).filter(report=report).mark_read()
    context = {
        "area": area, "year": year, "ancestors": area.ancestors(),
        "report": report, "version": version,
        "doc": document.build(area, year, report, version),
        "versions": report.versions.all() if report else [],
        "comments": report.comments.all() if report else [],
        "steps": report.steps.all() if report else [],
        "below": _below(request, area),
        "may_write": lookups.may_write(request.user, area),
        "may_review": lookups.may_review(request.user, area),
        "may_comment": lookups.may_comment(request.user, area),
        "comment_form": CommentForm(),
    }  # fmt: skip
    return render(request, "reports/report.html", context)


def _below(request: HttpRequest, area: Area) -> list[Area]:
    """The reporting areas right under this one that the person may see (a block's regions,
    the ward's blocks and regions)."""
    return [a for a in lookups.areas(request) if a != area and access.is_under(a.path, area.path)]


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Write the sections beside the year's facts; save the draft, or save and send it."""
    area = lookups.area(request, code, lookups.WRITE)
    report = lookups.report(area, _year(year))
    form = NarrativeForm(
        request.POST or None, initial=report.texts() if report else None,
        record=report or Report(area=area, fiscal_year=year),
    )  # fmt: skip
    council = report.council if report and report.council else _council(area)
    choice = PhotoChoiceForm(
        request.POST or None, choices=pictures.year_photos(council, year),
        initial={"photos": list(report.photos.all()) if report else []},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and choice.is_valid():
        try:
            report = services.save_draft(
                area, year, form.cleaned_data, by=request.user,
                photos=choice.cleaned_data["photos"], version=form.version_read,
            )  # fmt: skip
            if "send" in request.POST:
                services.send_for_review(report, by=request.user)
                messages.success(request, _("保存して、確認をお願いしました。"))
            else:
                messages.success(request, _("下書きを保存しました。"))
        except optimistic.Stale as stale:
            form.refuse(stale, link=reverse("reports_staff:report", args=[code, year]))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports_staff:report", code, year)
        else:
            return redirect("reports_staff:report", code, year)
    context = {
        "area": area, "year": year, "ancestors": area.ancestors(), "report": report,
        "form": form, "choice": choice, "doc": document.build(area, year, report, None),
        "locked": report is not None and report.status == ReportStatus.REVIEW,
    }  # fmt: skip
    return render(request, "reports/edit.html", context, status=optimistic.status(form))


def _council(area: Area) -> Council | None:
    return Council.objects.filter(area=area).first()


def _step(request: HttpRequest, code: str, year: int, action: str) -> tuple[Area, Report | None]:
    area = lookups.area(request, code, action)
    report = lookups.report(area, _year(year))
    if report is None:
        messages.error(request, _("この年度の報告は、まだ書き始めていません。"))
    return area, report


@require_POST
@access.require(VIEW)
def send(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _area, report = _step(request, code, year, lookups.WRITE)
    if report is not None:
        _try(request, lambda: services.send_for_review(report, by=request.user),
             _("確認をお願いしました。"))  # fmt: skip
    return redirect("reports_staff:report", code, year)


@require_POST
@access.require(VIEW)
def comment(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _area, report = _step(request, code, year, lookups.COMMENT)
    form = CommentForm(request.POST)
    if report is not None and form.is_valid():
        services.comment(report, form.cleaned_data["text"], by=request.user)
        messages.success(request, _("コメントを書きました。"))
    elif report is not None:
        messages.error(request, _("コメントを書いてください。"))
    return redirect("reports_staff:report", code, year)


@require_POST
@access.require(VIEW)
def send_back(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _area, report = _step(request, code, year, lookups.REVIEW)
    form = CommentForm(request.POST)
    if report is not None and not form.is_valid():
        messages.error(request, _("差し戻すときは、直してほしいことをコメントに書いてください。"))
    elif report is not None:
        text = form.cleaned_data["text"]
        _try(request, lambda: services.return_to_draft(report, text, by=request.user),
             _("差し戻しました。"))  # fmt: skip
    return redirect("reports_staff:report", code, year)


@require_POST
@access.require(VIEW)
def approve(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _area, report = _step(request, code, year, lookups.REVIEW)
    if report is not None:
        _try(request, lambda: services.approve(report, by=request.user),
             _("承認しました。この版はこのまま残ります。"))  # fmt: skip
    return redirect("reports_staff:report", code, year)


def _try(request: HttpRequest, step: Callable[[], object], done: str) -> None:
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
