"""Staff pages of needs: the list with filters, create and edit, the timeline, each step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib import optimistic

from . import lookups, services
from .forms import FilterForm, NeedForm, ReopenForm, StatusForm
from .models import OPEN_STATUSES, Need, NeedKind, Outcome

VIEW, EDIT = lookups.VIEW, lookups.EDIT


def staff_municipality(request: HttpRequest, capability: str = VIEW) -> Area:
    """The municipality of the areas this person works on (one per person)."""
    first = access.areas(request.user, capability).order_by("path").first()
    assert first is not None  # access.require let them in, so they hold an area
    return first.municipality or first


@require_GET
@access.require(VIEW)
def need_list(request: HttpRequest) -> HttpResponse:
    kinds = NeedKind.objects.of(staff_municipality(request))
    form = FilterForm(request.GET or None, areas=access.areas(request.user, VIEW), kinds=kinds)
    needs = lookups.needs(request)
    if form.is_valid():
        needs = needs.narrowed(form.cleaned_data)
    page = Paginator(needs.order_by("-reported_on", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "new_count": lookups.needs(request).unseen().count(),
        "can_add": access.has_any(request.user, EDIT),
    }
    return render(request, "needs/staff/list.html", context)


def _detail(request: HttpRequest, need: Need, status_form: StatusForm | None = None,
            reopen_form: ReopenForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    can_edit = lookups.can_edit(request, need)
    if can_edit and status_form is None and need.is_open:
        status_form = StatusForm(
            need=need,
            meetings=lookups.linkable_meetings(request, need),
            activities=lookups.linkable_activities(request, need),
        )
    context: dict[str, Any] = {
        "need": need,
        "was_new": need.is_new_arrival,
        "can_edit": can_edit,
        "events": need.events.select_related(
            "meeting__council", "activity", "introduction__activity", "introduction__helper"
        ),
        "status_form": status_form if need.is_open else None,
        "outcomes": Outcome.choices,
        "reopen_form": (reopen_form or ReopenForm()) if not need.is_open else None,
    }
    if can_edit:
        services.mark_seen(need)
    return render(request, "needs/staff/detail.html", context, status=status)


@require_GET
@access.require(VIEW)
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, lookups.need(request, pk))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def need_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    need = Need() if pk is None else lookups.need(request, pk, EDIT)
    municipality = need.municipality if pk else staff_municipality(request, EDIT)
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        instance=need,
        areas=access.areas(request.user, EDIT),
        municipality=municipality,
    )
    if request.method == "POST" and form.is_valid():
        if pk is None:
            services.create_need(form.save(commit=False), by=request.user)
        if pk is None or optimistic.saved(form, link=need.get_absolute_url()):
            messages.success(request, _("困りごと %(n)s を保存しました。") % {"n": need.number})
            return redirect(need)
    context = {"form": form, "need": need}
    return render(request, "needs/staff/edit.html", context, status=optimistic.status(form))


@require_POST
@access.require(EDIT)
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    need = lookups.need(request, pk, EDIT)
    form = StatusForm(
        request.POST,
        need=need,
        meetings=lookups.linkable_meetings(request, need),
        activities=lookups.linkable_activities(request, need),
    )
    if not need.is_open or not form.is_valid():
        if not need.is_open:
            messages.error(request, _("この困りごとは対応を終えています。先に再開してください。"))
            return redirect(need)
        return _detail(request, need, status_form=form, status=400)
    data = form.cleaned_data
    try:
        services.move(
            need, data["to"], by=request.user, on=data["on"], note=data["note"],
            meeting=data["meeting"], activity=data["activity"], referred_to=data["referred_to"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("状態を「%(s)s」にしました。") % {"s": need.get_status_display()}
        )
    return redirect(need)


@require_POST
@access.require(EDIT)
def need_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    need = lookups.need(request, pk, EDIT)
    form = ReopenForm(request.POST)
    if need.status in OPEN_STATUSES:
        messages.error(request, _("この困りごとは対応中です。再開する必要はありません。"))
        return redirect(need)
    if not form.is_valid():
        return _detail(request, need, reopen_form=form, status=400)
    services.reopen(need, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("困りごとを再開しました。"))
    return redirect(need)
