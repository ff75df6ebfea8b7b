"""Staff pages of the directory: list, create, edit, publish, pause, end, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.audit.models import AuditEntry
from sasaeai.lib import optimistic

from . import services
from .forms import ActivityForm, PlaceFormSet, ScheduleFormSet
from .list_filters import StaffFilterForm, narrow
from .models import Activity, ActivityQuerySet, Facet, Kind, Proposal, Status

EDIT, VIEW = Capability.EDIT, Capability.VIEW


def _visible(request: HttpRequest) -> ActivityQuerySet:
    return access.scope(request.user, Activity.objects.select_related("area"), VIEW)


@require_GET
@access.require(VIEW)
def activity_list(request: HttpRequest) -> HttpResponse:
    municipalities = access.municipality_ids(request.user, VIEW)
    kinds = Kind.objects.filter(municipality_id__in=municipalities, facet=Facet.ACTIVITY)
    areas = access.areas(request.user, VIEW)
    form = StaffFilterForm(request.GET or None, areas=areas, kinds=kinds)
    activities = _visible(request)
    if form.is_valid():
        activities = narrow(activities, form.cleaned_data, municipalities)
    page = Paginator(activities.order_by("kana", "name", "id"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "stale": False}
    return render(request, "directory/staff/list.html", context)


@require_GET
@access.require(VIEW)
def needs_confirming(request: HttpRequest) -> HttpResponse:
    activities = _visible(request).needs_confirming().order_by("last_confirmed", "kana")
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    return render(request, "directory/staff/list.html", {"page": page, "stale": True})


def _field_label(name: str) -> str:
    try:
        return str(Activity._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:  # a field since removed
        return name


@require_GET
@access.require(VIEW)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_object(request, Activity.objects.all(), VIEW, pk=pk)
    context = {
        "activity": activity,
        "can_edit": access.can(request.user, EDIT, activity.area),
        "history": [
            (entry, [_field_label(name) for name in entry.changed_fields])
            for entry in AuditEntry.objects.filter(model="directory.Activity", object_id=str(pk))[
                :50
            ]
        ],
    }
    return render(request, "directory/staff/detail.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        activity = Activity()
    else:
        activity = access.get_object(request, Activity.objects.all(), EDIT, pk=pk)
    areas = access.areas(request.user, EDIT)
    first = areas[0]
    municipality = activity.municipality if pk else (first.municipality or first)
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ActivityForm(post, files, instance=activity, areas=areas, municipality=municipality)
    places = PlaceFormSet(post, files, instance=activity, prefix="places")
    schedules = ScheduleFormSet(post, files, instance=activity, prefix="schedules")
    status = 200
    if request.method == "POST" and all([form.is_valid(), places.is_valid(), schedules.is_valid()]):
        activity = form.save(commit=False)
        parts = form.parts(places, schedules)  # type: ignore[arg-type]
        try:
            services.save_activity(activity, parts, version=form.version_read)
        except optimistic.Stale as stale:
            link = reverse("directory_staff:detail", args=[activity.pk])
            form.refuse(stale, link=link, files_sent=bool(request.FILES))
            status = 409
        else:
            messages.success(request, _("「%(name)s」を保存しました。") % {"name": activity.name})
            return redirect("directory_staff:detail", activity.pk)
    forms_ = {"form": form, "places": places, "schedules": schedules, "activity": activity}
    return render(request, "directory/staff/edit.html", forms_, status=status)


@require_POST
@access.require(EDIT)
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    to = request.POST.get("to", "")
    capability = Capability.PUBLISH if to == Status.PUBLISHED else EDIT
    activity = access.get_object(request, Activity.objects.all(), capability, pk=pk)
    try:
        services.change_status(activity, to)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("状態を「%(s)s」にしました。") % {"s": activity.get_status_display()}
        )
    return redirect("directory_staff:detail", activity.pk)


@require_POST
@access.require(EDIT)
def activity_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_object(request, Activity.objects.all(), EDIT, pk=pk)
    services.confirm_running(activity)
    messages.success(
        request, _("「%(name)s」が続いていることを記録しました。") % {"name": activity.name}
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("directory_staff:detail", activity.pk)


@require_GET
@access.require(EDIT)
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = access.scope(
        request.user, Proposal.objects.open().select_related("area", "activity"), EDIT
    )
    return render(request, "directory/staff/proposals.html", {"proposals": proposals})


@require_POST
@access.require(EDIT)
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_object(request, Proposal.objects.open(), EDIT, pk=pk)
    if request.POST.get("decision") == "decline":
        services.decline_proposal(proposal)
        messages.success(request, _("「%(name)s」を見送りにしました。") % {"name": proposal.name})
        return redirect("directory_staff:proposals")
    activity = services.accept_proposal(proposal)
    messages.success(request, _("情報をもとに編集してください。公開するまで住民には見えません。"))
    return redirect("directory_staff:edit", activity.pk)
