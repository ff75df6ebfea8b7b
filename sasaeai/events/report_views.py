"""The year's plan, attendance per fiscal year, each SC's training history, event kinds."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import fiscal_year_of

from . import lookups, reports
from .forms import KindForm, PlanVersionForm, TargetForm, YearForm
from .kinds import kinds_of
from .models import EventKind, PlanTarget, Registration, RegistrationStatus

EDIT = lookups.EDIT


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or fiscal_year_of(timezone.localdate())


def _years(year: int) -> dict[str, int]:
    return {"year": year, "previous": year - 1, "next": year + 1}


@require_GET
@access.require(EDIT)
def plan(request: HttpRequest) -> HttpResponse:
    municipality = lookups.home_municipality(request)
    year = _year(request)
    context = {
        "rows": reports.plan_rows(municipality, year),
        "can_edit": access.can(request.user, EDIT, municipality),
        **_years(year),
    }
    return render(request, "events/plan.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def plan_edit(request: HttpRequest) -> HttpResponse:
    municipality = lookups.home_municipality(request)
    if not access.can(request.user, EDIT, municipality):
        raise PermissionDenied
    year = _year(request)
    targets = _targets(municipality, year)
    post = request.POST if request.method == "POST" else None
    latest = max((t.updated_at for t in targets.values()), default=None)
    version = PlanVersionForm(post, saved=latest)
    rows = []
    for kind in kinds_of(municipality):
        target = targets.get(kind.pk)
        initial = {"min_count": target.min_count, "max_count": target.max_count} if target else {}
        rows.append((kind, TargetForm(post, prefix=f"k{kind.pk}", initial=initial)))
    back = f"{reverse('events_staff:plan')}?year={year}"
    checked = [form.is_valid() for _kind, form in rows]  # each row's errors, not the first's
    valid = version.is_valid() and all(checked)
    if post is not None and valid:
        try:
            _save_plan(municipality, year, rows, version.version_read)
        except optimistic.Stale:
            saved = _targets(municipality, year)
            latest = max((t.updated_at for t in saved.values()), default=None)
            version.refuse_plan(latest, _plan_differences(rows, saved), back)
        else:
            messages.success(request, _("%(y)s年度の計画を保存しました。") % {"y": year})
            return redirect(back)
    context = {"rows": rows, "version": version, **_years(year)}
    return render(request, "events/plan_edit.html", context, status=optimistic.status(version))


def _targets(municipality: Area, year: int) -> dict[int, PlanTarget]:
    found = PlanTarget.objects.filter(municipality=municipality, fiscal_year=year)
    return {t.kind_id: t for t in found}


@transaction.atomic
def _save_plan(
    municipality: Area, year: int, rows: list[tuple[EventKind, Any]], read: optimistic.Version
) -> None:
    """Save the year's plan as it was sent, unless someone saved it since the version `read`
    (`optimistic.Stale`, nothing written). One plan save of a municipality at a time: the
    second waits on the first's lock of the municipality's row, then finds the version moved."""
    Area.objects.select_for_update().filter(pk=municipality.pk).first()
    found = PlanTarget.objects.filter(municipality=municipality, fiscal_year=year)
    latest = found.aggregate(latest=Max("updated_at"))["latest"]
    if read is not None and read != (optimistic.NEW if latest is None else latest):
        raise optimistic.Stale(None)
    targets = {t.kind_id: t for t in found}
    for kind, form in rows:
        low, high = form.cleaned_data["min_count"], form.cleaned_data["max_count"]
        target = targets.get(kind.pk)
        if low is None:
            if target is not None:
                target.delete()
            continue
        if target is None:
            target = PlanTarget(municipality=municipality, fiscal_year=year, kind=kind)
        target.min_count, target.max_count = low, high
        target.save()  # every row kept is written: the plan's version moves on


def _plan_differences(
    rows: list[tuple[EventKind, Any]], saved: dict[int, PlanTarget]
) -> list[tuple[str, str]]:
    """The kinds whose saved range differs from what the person sent, as saved now."""
    differing = []
    for kind, form in rows:
        sent = (form.cleaned_data["min_count"], form.cleaned_data["max_count"])
        target = saved.get(kind.pk)
        now = (target.min_count, target.max_count) if target else (None, None)
        if now == sent:
            continue
        if target is None:
            words = _("（計画しない）")
        elif target.min_count == target.max_count:
            words = _("%(n)s回") % {"n": target.min_count}
        else:
            words = _("%(a)s〜%(b)s回") % {"a": target.min_count, "b": target.max_count}
        differing.append((kind.name, words))
    return differing


@require_GET
@access.require(EDIT)
def attendance_report(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    report = reports.attendance(lookups.people(request), year)
    return render(request, "events/attendance_report.html", {"report": report, **_years(year)})


def _history(user: Any) -> list[tuple[int, list[Registration]]]:
    registrations = (
        Registration.objects.filter(user=user, event__published_at__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event__kind", "event__area")
        .order_by("-event__starts_at")
    )
    by_year: dict[int, list[Registration]] = defaultdict(list)
    for registration in registrations:
        by_year[registration.event.fiscal_year].append(registration)
    return sorted(by_year.items(), reverse=True)


@require_GET
@lookups.participants_only
def my_history(request: HttpRequest) -> HttpResponse:
    context = {"person": request.user, "years": _history(request.user), "own": True}
    return render(request, "events/history.html", context)


@require_GET
@access.require(EDIT)
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = lookups.person(request, pk)
    context = {"person": person, "years": _history(person), "own": False}
    return render(request, "events/history.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def kind_list(request: HttpRequest) -> HttpResponse:
    municipality = lookups.home_municipality(request)
    can_edit = access.can(request.user, EDIT, municipality)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    kinds = kinds_of(municipality)
    form = KindForm(request.POST or None, municipality=municipality,
                    initial={"sort_order": len(kinds) + 1})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        kind = form.save(commit=False)
        kind.municipality = municipality
        kind.save()
        messages.success(request, _("種類「%(n)s」を加えました。") % {"n": kind.name})
        return redirect("events_staff:kinds")
    context = {"kinds": kinds, "form": form if can_edit else None}
    return render(request, "events/kinds.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = lookups.home_municipality(request)
    if not access.can(request.user, EDIT, municipality):
        raise PermissionDenied
    kind = access.get_object(
        request, EventKind.objects.filter(municipality=municipality), EDIT, "municipality", pk=pk
    )
    form = KindForm(request.POST or None, instance=kind, municipality=municipality)
    back = reverse("events_staff:kinds")
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("種類「%(n)s」を保存しました。") % {"n": kind.name})
        return redirect("events_staff:kinds")
    context = {"form": form, "title": _("種類を編集する"), "submit": _("保存する"), "kind": kind}
    return render(request, "events/form.html", context, status=optimistic.status(form))
