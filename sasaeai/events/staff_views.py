"""Staff and SC pages of one event: list, create, edit, publish, call off, delete a draft,
register, attendance."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import fiscal_year_of

from . import lookups, services
from .forms import CancelEventForm, EventForm, MaterialForm
from .kinds import kinds_of
from .models import Event, EventKind, Notice, Registration, RegistrationStatus

VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH


@require_GET
@lookups.events_users_only
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    may_manage = lookups.may_manage(request.user)
    mine = {
        r.event_id: r
        for r in Registration.objects.filter(user=lookups.me(request)).exclude(
            status=RegistrationStatus.CANCELLED
        )
    }
    news = set(
        Notice.objects.filter(user=lookups.me(request), read_at__isnull=True).values_list(
            "event_id", flat=True
        )
    )
    for_me = list(lookups.for_me(request).upcoming(now))
    managed = list(lookups.managed(request).upcoming(now)) if may_manage else None
    # This fiscal year's past events: where staff record attendance and add materials.
    held = (
        list(lookups.managed(request).past(now).in_fiscal_year(fiscal_year_of(now)).reverse())
        if may_manage
        else []
    )
    shown = [*for_me, *(managed or []), *held]
    queue = Registration.objects.filter(event_id__in=[e.pk for e in shown]).queue_positions()
    for registration in mine.values():
        registration.position = queue.get(registration.pk)  # type: ignore[attr-defined]
    for event in shown:
        event.mine = mine.get(event.pk)  # type: ignore[attr-defined]
        event.has_news = event.pk in news  # type: ignore[attr-defined]
    context = {
        "for_me": for_me,
        "managed": managed,
        "held": held,
        "is_participant": lookups.is_participant(request.user),
        "may_manage": may_manage,
    }
    return render(request, "events/list.html", context)


def _form(request: HttpRequest, event: Event) -> EventForm:
    municipality = event.municipality if event.pk else lookups.home_municipality(request)
    kinds = EventKind.objects.filter(pk__in=[k.pk for k in kinds_of(municipality)])
    return EventForm(
        request.POST or None,
        instance=event,
        areas=lookups.editable_areas(request).filter(municipality=municipality),
        kinds=kinds,
    )


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def event_new(request: HttpRequest) -> HttpResponse:
    event = Event(organiser=_("板橋区・板橋区社会福祉協議会"))
    form = _form(request, event)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.municipality = event.area.municipality
        event.created_by = request.user
        event.save()
        messages.success(request, _("「%(t)s」を下書きとして保存しました。") % {"t": event.title})
        return redirect(event)
    context = {"form": form, "title": _("研修・連絡会を作る"), "submit": _("下書きとして保存する")}
    return render(request, "events/form.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk, EDIT)
    if event.is_cancelled:
        messages.error(request, _("中止した催しは編集できません。"))
        return redirect(event)
    form = _form(request, event)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(form.save(commit=False), version=form.version_read)
        except optimistic.Stale as stale:
            form.refuse(stale, link=event.get_absolute_url())
        else:
            messages.success(request, _("保存しました。"))
            return redirect(event)
    context = {"form": form, "event": event, "title": _("研修・連絡会を編集する"),
               "submit": _("保存する")}  # fmt: skip
    return render(request, "events/form.html", context, status=optimistic.status(form))


@require_GET
@access.signed_in
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk)
    services.mark_read(event, request.user)
    can_edit = lookups.can(request, EDIT, event)
    registration = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(user=lookups.me(request))
        .first()
    )
    queue = event.registrations.all().queue_positions()
    if registration is not None:
        registration.position = queue.get(registration.pk)  # type: ignore[attr-defined]
    registrations = None
    if can_edit:
        registrations = list(
            event.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user")
        )
        for row in registrations:
            row.position = queue.get(row.pk)  # type: ignore[attr-defined]
    can_publish = lookups.can(request, PUBLISH, event)
    context = {
        "event": event,
        "can_edit": can_edit,
        "can_publish": can_publish,
        "can_cancel": can_publish and _may_call_off(event),
        "can_delete": can_edit and not event.is_published,
        "registration": registration,
        "is_for_me": lookups.for_me(request).filter(pk=event.pk).exists(),
        "is_open": event.is_open(),
        "taken": event.registrations.registered().count(),
        "waiting": event.registrations.waiting().count(),
        "materials": event.materials.all(),
        "registrations": registrations,
        "material_form": MaterialForm() if can_edit else None,
        "marker": _marker(event),
        "tile_url": settings.TILE_URL,
    }
    return render(request, "events/detail.html", context)


def _may_call_off(event: Event) -> bool:
    return event.is_published and not event.is_cancelled and event.ends_at > timezone.now()


def _marker(event: Event) -> dict[str, object] | None:
    if not event.has_point:
        return None
    name = event.venue or event.title
    return {"lat": event.latitude, "lng": event.longitude, "name": name, "url": ""}


@require_POST
@access.require(PUBLISH)
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk, PUBLISH)
    if services.publish(event):
        messages.success(request, _("公開しました。対象のSCにお知らせを送ります。"))
    else:
        messages.info(request, _("この催しはもう公開されています。"))
    return redirect(event)


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Call a published event off (中止), with a reason; those registered are told."""
    event = lookups.event(request, pk, PUBLISH)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(event, form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("中止にしました。申し込んだ人とキャンセル待ちの人にお知らせします。")
            )
        return redirect(event)
    if not _may_call_off(event):
        messages.error(request, _("この催しは中止にできません。"))
        return redirect(event)
    people = event.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
    context = {"event": event, "form": form, "people": people}
    return render(request, "events/cancel.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft that was never published; a published event is called off instead."""
    event = lookups.event(request, pk, EDIT)
    if event.is_published:
        messages.error(request, _("公開した催しは削除できません。中止にしてください。"))
        return redirect(event)
    if request.method == "POST":
        try:
            services.delete_draft(event)
        except ValidationError as error:  # published meanwhile
            messages.error(request, error.messages[0])
            return redirect(event)
        messages.success(request, _("下書き「%(t)s」を削除しました。") % {"t": event.title})
        return redirect("events_staff:list")
    return render(request, "events/delete.html", {"event": event})


@require_POST
@access.signed_in
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk)
    try:
        registration = services.register(event, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    if registration.status == RegistrationStatus.REGISTERED:
        messages.success(request, _("申し込みました。"))
    else:
        messages.warning(request, _("定員に達しているため、キャンセル待ちで受け付けました。"))
    return redirect(event)


@require_POST
@access.signed_in
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk)
    try:
        services.cancel(event, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("申込みを取り消しました。"))
    return redirect(event)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk, EDIT)
    registrations = event.registrations.registered().select_related("user")
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            came = services.record_attendance(event, present)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("出席を記録しました（%(n)s人）。") % {"n": came})
            return redirect(event)
    context = {"event": event, "registrations": registrations}
    return render(request, "events/attendance.html", context)


@require_POST
@access.require(EDIT)
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.event(request, pk, EDIT)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        material = form.save(commit=False)
        material.event = event
        with transaction.atomic():  # a full disk (lib/storage.py) leaves no row behind
            material.save()
        messages.success(request, _("資料を載せました。"))
    else:
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
    return redirect(event)


@require_GET
@access.signed_in
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = lookups.material(request, pk)
    name = (material.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=name)
