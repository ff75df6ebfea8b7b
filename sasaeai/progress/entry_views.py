"""Staff pages of the figures only people know, entered once per 年度: a region's participants
per activity (with one reference month), and the population aged 65+ of the regions of an
area. Each page saves all its rows or none; a closed 年度 is shown, never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import year_asked, year_label

from . import entry_lookups, lookups, participation, population
from .entry_forms import MonthForm, ParticipationRowForm, PopulationRowForm, default_as_of
from .models import Participation, Population, PopulationSource
from .participation import FIGURES, RowsStale, Written, YearClosed

VIEW = lookups.VIEW


def page_url(name: str, area: Area, year: int) -> str:
    return f"{reverse(f'progress_staff:{name}', args=[area.code])}?year={year}"


def _context(area: Area, year: int, closed: bool) -> dict[str, Any]:
    return {
        "area": area, "year": year, "year_label": year_label(year),
        "previous": year - 1, "next": year + 1, "ancestors": area.ancestors(),
        "closed": closed,
    }  # fmt: skip


def _told(
    request: HttpRequest,
    stale: RowsStale,
    rows: dict[int, tuple[str, Any]],
    link: str,
    month: dt.date | None = None,
) -> optimistic.Saved:
    """The page that tells the second of two people saving it at once (lib/optimistic.py):
    their input stays, the stale rows' versions move on to the ones saved now (so a second
    press, after they have looked, saves), and the rows' fields where what is saved now
    differs from their input are listed. `rows`: each row's name and form, by its key;
    `month`: the participants page's month as sent."""
    data = request.POST.copy()
    differing: list[tuple[str, str]] = []
    for key, now in stale.saved.items():
        name, form = rows[key]
        data[form.add_prefix("version")] = optimistic.token(now.updated_at if now else None)
        if now is None:
            differing.append((name, _("（ほかの人が消しました）")))
            continue
        for label, value in optimistic.differences(form, now):
            differing.append((f"{name}（{label}）", value))
        if month is not None and now.month != month:
            words = _("%(y)s年%(m)s月") % {"y": now.month.year, "m": now.month.month}
            differing.append((_("%(name)s（基準の月）") % {"name": name}, words))
    for _name, form in rows.values():
        form.data = data
    return optimistic.Saved(differing, link)


def _all_valid(forms: list[Any]) -> bool:
    """Every form checked (not only up to the first bad one), so that each row has its errors."""
    valid = [form.is_valid() for form in forms]
    return all(valid)


def _say_written(request: HttpRequest, written: Written) -> None:
    if not (written.created or written.updated or written.deleted):
        messages.info(request, _("変わったところがないため、何も保存しませんでした。"))
        return
    messages.success(
        request,
        _("保存しました（新しく %(created)s 件、書き直し %(updated)s 件、消した %(deleted)s 件）。")
        % vars(written),
    )


def _say_closed(request: HttpRequest, year: int) -> None:
    messages.error(
        request,
        _("%(year)sは締められているため、変えられません。何も保存していません。")
        % {"year": year_label(year)},
    )


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def participants(request: HttpRequest, code: str) -> HttpResponse:
    """A region's activities, one row each, with the participants of the 年度's reference
    month: entered by the region's SC or the ward side, read by the others who see it."""
    region = entry_lookups.region(request, code)
    year = year_asked(request)
    rows = participation.listed(region, year)
    closed = entry_lookups.is_closed(region, year)
    may_enter = entry_lookups.may_enter_participants(request.user, region)
    status = 200
    stale: optimistic.Saved | None = None  # someone saved first: what they saved
    if request.method == "POST":
        entry_lookups.check_participants(request, region)
        month_form = MonthForm(request.POST, year=year)
        forms = [_participation_form(row, request.POST) for row in rows]
        if closed:
            _say_closed(request, year)
            status = 409
        elif _all_valid([month_form, *forms]):
            pairs = list(zip(rows, forms, strict=True))
            figures = {
                row.activity.pk: None
                if form.is_empty()
                else {name: form.cleaned_data[name] for name in FIGURES}
                for row, form in pairs
                if any(form.add_prefix(name) in request.POST for name in form.fields)
            }
            current = {row.activity.pk: row.current for row in rows if row.current}
            versions = {row.activity.pk: form.version_read for row, form in pairs}
            month = month_form.cleaned_data["month"]
            try:
                written = participation.save(
                    region, year, month, figures, current, request.user, versions=versions
                )
            except YearClosed:
                _say_closed(request, year)
                status = 409
            except RowsStale as error:
                named = {row.activity.pk: (row.activity.name, form) for row, form in pairs}
                link = page_url("participants", region, year)
                status, stale = 409, _told(request, error, named, link, month)
            else:
                _say_written(request, written)
                return redirect(page_url("participants", region, year))
        else:
            status = 400
    else:
        month = participation.page_month(rows, year)
        month_form = MonthForm(initial={"month": f"{month:%Y-%m}"}, year=year)
        forms = [_participation_form(row) for row in rows]
    context = _context(region, year, closed) | {
        "rows": list(zip(rows, forms, strict=True)),
        "month_form": month_form,
        "month": participation.page_month(rows, year),
        "may_enter": may_enter and not closed,
        "errors": status == 400,
        "stale": stale,
        "told": optimistic.STALE,
        **participation.kayoi_rate(region, year, rows),
    }
    return render(request, "progress/participants.html", context, status=status)


def _participation_form(row: participation.Listed, data: Any = None) -> ParticipationRowForm:
    """An activity's row: its figures as stored (on the page as first shown) and the version
    of what is stored (NEW when nothing is)."""
    stored = row.current
    initial = {name: getattr(stored, name) for name in FIGURES} if stored else None
    return ParticipationRowForm(
        data, prefix=f"a{row.activity.pk}", initial=initial, record=stored or Participation()
    )


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def population_page(request: HttpRequest, code: str) -> HttpResponse:
    """The population aged 65+ of each region of an area (a region: its own) in the 年度:
    typed by the ward, read by the others who see the area."""
    area = entry_lookups.area_with_regions(request, code)
    year = year_asked(request)
    regions = population.regions_of(area)
    stored = population.current(regions, year)
    closed = entry_lookups.is_closed(area, year)
    may_enter = entry_lookups.may_enter_population(request.user, area)
    status = 200
    stale: optimistic.Saved | None = None  # someone saved first: what they saved
    if request.method == "POST":
        entry_lookups.check_population(request, area)
        forms = [_population_form(r, stored.get(r.pk), year, request.POST) for r in regions]
        if closed:
            _say_closed(request, year)
            status = 409
        elif _all_valid(forms):
            pairs = list(zip(regions, forms, strict=True))
            figures: dict[Area, population.Figure] = {
                region: None
                if form.is_empty()
                else (form.cleaned_data["aged_65_up"], form.cleaned_data["as_of"])
                for region, form in pairs
                if form.add_prefix("aged_65_up") in request.POST
            }
            versions = {region.pk: form.version_read for region, form in pairs}
            try:
                written = population.save(
                    area.municipality or area, year, figures, PopulationSource.TYPED,
                    versions=versions,
                )  # fmt: skip
            except YearClosed:
                _say_closed(request, year)
                status = 409
            except RowsStale as error:
                named = {region.pk: (region.name, form) for region, form in pairs}
                link = page_url("population", area, year)
                status, stale = 409, _told(request, error, named, link)
            else:
                _say_written(request, written)
                return redirect(page_url("population", area, year))
        else:
            status = 400
    else:
        forms = [_population_form(r, stored.get(r.pk), year) for r in regions]
    context = _context(area, year, closed) | {
        "rows": [(r, stored.get(r.pk), form) for r, form in zip(regions, forms, strict=True)],
        "may_enter": may_enter and not closed,
        "may_import": may_enter and area.is_municipality,
        "total": sum(p.aged_65_up for p in stored.values()),
        "entered": len(stored),
        "errors": status == 400,
        "stale": stale,
        "told": optimistic.STALE,
    }
    return render(request, "progress/population.html", context, status=status)


def _population_form(
    region: Area, stored: Population | None, year: int, data: Any = None
) -> PopulationRowForm:
    """A region's row: its figure as stored (on the page as first shown) and the version of
    what is stored (NEW when nothing is)."""
    return PopulationRowForm(
        data, prefix=f"r{region.pk}", year=year, initial=_initial(stored, year),
        record=stored or Population(),
    )  # fmt: skip


def _initial(stored: Population | None, year: int) -> dict[str, Any]:
    if stored is None:
        return {"as_of": default_as_of(year).isoformat()}
    return {"aged_65_up": stored.aged_65_up, "as_of": stored.as_of.isoformat()}
