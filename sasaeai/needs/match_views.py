"""Matching a need: suggestions with their reasons, recording an introduction in one step and
its outcome, and the list of introductions (of an area, in a 年度, with an outcome: what the
figures of introductions count, figures.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sasaeai.accounts import access
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.indicators import Scope
from sasaeai.lib.paths import under

from . import helper_services, lookups
from .figures import made
from .helper_forms import (
    IntroductionFilterForm,
    IntroductionForm,
    MatchForm,
    OutcomeForm,
    to_bits,
    weekday_bits,
)
from .matching import suggest_for_need

VIEW, EDIT = lookups.VIEW, lookups.EDIT


@require_GET
@access.require(EDIT)
def need_matches(request: HttpRequest, pk: int) -> HttpResponse:
    need = lookups.need(request, pk, EDIT)
    form = MatchForm(request.GET or None)
    days = parts = 0
    if form.is_valid():
        days = weekday_bits(form.cleaned_data["weekdays"])
        parts = to_bits(form.cleaned_data["dayparts"])
    matches = suggest_for_need(need, weekday_bits=days, daypart_bits=parts)
    # A helper of an area this person may not edit is shown by number only, never by name.
    ids = [s.pk for s in matches.helpers]
    mine = set(lookups.helpers(request).filter(pk__in=ids).values_list("pk", flat=True))
    helpers = [s if s.pk in mine else replace(s, name=s.ref) for s in matches.helpers]
    context = {
        "need": need,
        "form": form,
        "activities": matches.activities,
        "helpers": helpers,
        "mine": mine,
        "introduce": IntroductionForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "needs/staff/matches.html", context)


@require_POST
@access.require(EDIT)
def need_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    need = lookups.need(request, pk, EDIT)
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("紹介を記録できませんでした。入力を確かめてください。"))
        return redirect("needs_staff:matches", need.pk)
    data = form.cleaned_data
    activity = lookups.visible_activity(request, data["activity"])
    helper = None
    if data["helper"]:
        helper = lookups.helpers(request).filter(pk=data["helper"]).first()
    if activity is None and helper is None:
        messages.error(request, _("紹介する活動か担い手を選んでください。"))
        return redirect("needs_staff:matches", need.pk)
    try:
        helper_services.introduce(by=request.user, need=need, activity=activity, helper=helper,
                                  on=data["on"], outcome=data["outcome"],
                                  reasons=data["reasons"], note=data["note"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("needs_staff:matches", need.pk)
    messages.success(request, _("紹介を記録しました。経過に載せました。"))
    return redirect(need)


@require_POST
@access.require(EDIT)
def introduction_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = lookups.introduction(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        introduction.outcome = form.cleaned_data["outcome"]
        introduction.save(update_fields=["outcome"])
        messages.success(request, _("紹介の結果を記録しました。"))
    target = introduction.need or introduction.helper
    return redirect(target) if target is not None else redirect("needs_staff:helpers")


@require_GET
@access.require(VIEW)
def introduction_list(request: HttpRequest) -> HttpResponse:
    """Introductions, newest first; narrowed to an area, to those made in a 年度 (read as the
    figures read it: to 31 March, or to today) and to an outcome. Input it cannot use is named
    next to its field and narrows nothing."""
    form = IntroductionFilterForm(request.GET or None, areas=access.areas(request.user, VIEW))
    found = lookups.introductions(request)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if data.get("area"):
        found = found.filter(under(data["area"].path, "area__path"))
    if (year := data.get("year")) is not None:
        found = found.filter(made(Scope((), (year,), timezone.localdate()), year))
    if data.get("outcome"):
        found = found.filter(outcome=data["outcome"])
    page = Paginator(found.order_by("-on", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "area": data.get("area"),
        "year_label": year_label(year) if year is not None else "",
    }  # fmt: skip
    return render(request, "needs/staff/introductions.html", context)
