"""Staff pages of local events for residents: list, create, edit, publish, call off, delete a
draft; the sign-ups (seen, entered by phone, cancelled, printed) and the printed flyer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import optimistic

from . import local_print, local_services, lookups
from .forms import CancelEventForm
from .local_forms import LocalEventForm, SignupForm
from .local_models import LocalEvent, Signup
from .models import RegistrationStatus

EDIT, PUBLISH = lookups.EDIT, lookups.PUBLISH
Status = RegistrationStatus


def _with_counts(events: QuerySet[LocalEvent]) -> QuerySet[LocalEvent]:
    registered = Q(signups__status=Status.REGISTERED)
    return events.annotate(
        taken=Sum("signups__people", filter=registered, default=0),
        waiting=Count("signups", filter=Q(signups__status=Status.WAITING)),
    )


@require_GET
@access.require(EDIT)
def local_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    managed = lookups.managed_local(request)
    context = {
        "upcoming": _with_counts(managed.upcoming(now)),
        "past": _with_counts(managed.past(now).order_by("-starts_at", "-pk"))[:20],
    }
    return render(request, "events/local_list.html", context)


def _form(request: HttpRequest, event: LocalEvent) -> LocalEventForm:
    return LocalEventForm(
        request.POST or None, instance=event, areas=lookups.local_regions(request)
    )


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def local_new(request: HttpRequest) -> HttpResponse:
    form = _form(request, LocalEvent())
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.municipality = event.area.municipality or event.area
        event.created_by = request.user
        event.save()
        messages.success(request, _("「%(t)s」を下書きとして保存しました。") % {"t": event.title})
        return redirect(event)
    context = {"form": form, "title": _("地域の催しを作る"), "submit": _("下書きとして保存する")}
    return render(request, "events/local_form.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def local_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.local_event(request, pk)
    if event.is_cancelled:
        messages.error(request, _("中止した催しは編集できません。"))
        return redirect(event)
    form = _form(request, event)
    if request.method == "POST" and form.is_valid():
        moved_up = event.signups.filter(promoted_at__isnull=False).count()
        try:
            local_services.save_event(form.save(commit=False), version=form.version_read)
        except optimistic.Stale as stale:
            form.refuse(stale, link=event.get_absolute_url())
        else:
            messages.success(request, _("保存しました。"))
            if event.signups.filter(promoted_at__isnull=False).count() > moved_up:
                messages.warning(
                    request,
                    _("キャンセル待ちの方が繰り上がりました。電話などで知らせてください。"),
                )
            return redirect(event)
    context = {"form": form, "event": event, "title": _("地域の催しを編集する"),
               "submit": _("保存する")}  # fmt: skip
    return render(request, "events/local_form.html", context, status=optimistic.status(form))


def _signups(event: LocalEvent) -> list[Signup]:
    rows = list(event.signups.active().order_by("applied_at", "pk"))
    place = 0
    for row in rows:
        if row.status == Status.WAITING:
            place += 1
            row.position = place  # type: ignore[attr-defined]
    return rows


@require_GET
@access.require(EDIT)
def local_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.local_event(request, pk)
    rows = _signups(event)
    if rows:  # residents' names and contacts were shown: who read them is kept
        log.record(Action.READ, obj=event, detail="local event sign-ups")
    now = timezone.now()
    context = {
        "event": event,
        "signups": rows,
        "taken": sum(r.people for r in rows if r.status == Status.REGISTERED),
        "waiting": sum(1 for r in rows if r.status == Status.WAITING),
        "can_publish": access.can(request.user, PUBLISH, event.area),
        "can_call_off": event.is_published and not event.is_cancelled and event.ends_at > now,
        "signup_form": SignupForm() if event.is_open(now) else None,
        "purged": event.signups.filter(purged_at__isnull=False).exists(),
    }
    return render(request, "events/local_detail.html", context)


@require_POST
@access.require(PUBLISH)
def local_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = lookups.local_event(request, pk, PUBLISH)
    try:
        published = local_services.publish(event)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if published:
            messages.success(request, _("公開しました。区民の方が催しのページから申し込めます。"))
        else:
            messages.info(request, _("この催しはもう公開されています。"))
    return redirect(event)


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def local_call_off(request: HttpRequest, pk: int) -> HttpResponse:
    """Call a published local event off (中止), with a reason the public page shows."""
    event = lookups.local_event(request, pk, PUBLISH)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            local_services.cancel_event(event, form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("中止にしました。申し込んだ方に、電話などで知らせてください。")
            )
        return redirect(event)
    if not event.is_published or event.is_cancelled or event.ends_at <= timezone.now():
        messages.error(request, _("この催しは中止にできません。"))
        return redirect(event)
    people = event.signups.active().count()
    return render(request, "events/local_call_off.html", {"event": event, "form": form,
                                                          "people": people})  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def local_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft never published; a published event is called off instead."""
    event = lookups.local_event(request, pk)
    if event.is_published:
        messages.error(request, _("公開した催しは削除できません。中止にしてください。"))
        return redirect(event)
    if request.method == "POST":
        try:
            local_services.delete_draft(event)
        except ValidationError as error:  # published meanwhile
            messages.error(request, error.messages[0])
            return redirect(event)
        messages.success(request, _("下書き「%(t)s」を削除しました。") % {"t": event.title})
        return redirect("events_staff:local_list")
    return render(request, "events/local_delete.html", {"event": event})


@require_POST
@access.require(EDIT)
def local_signup_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A sign-up the coordinator took by phone or at the desk."""
    event = lookups.local_event(request, pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect(event)
    data = form.cleaned_data
    try:
        signup = local_services.sign_up(event, name=data["name"], phone=data["phone"],
                                        email=data["email"], people=data["people"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    if signup.status == Status.WAITING:
        text = _("定員に達しているため、キャンセル待ちで受け付けました（受付番号 %(r)s）。")
        messages.warning(request, text % {"r": signup.receipt})
    else:
        messages.success(request, _("受け付けました（受付番号 %(r)s）。") % {"r": signup.receipt})
    return redirect(event)


@require_POST
@access.require(EDIT)
def local_signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = lookups.signup(request, pk)
    try:
        moved_up = local_services.cancel_signup(signup)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("受付番号 %(r)s の申込みを取り消しました。") % {"r": signup.receipt}
        )
        if moved_up:
            numbers = "、".join(s.receipt for s in moved_up)
            text = _(
                "キャンセル待ちから繰り上がった方（受付番号 %(n)s）に、電話などで知らせてください。"
            )
            messages.warning(request, text % {"n": numbers})
    return redirect(signup.event)


@require_GET
@access.require(EDIT)
def local_signups_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of sign-ups on A4, to take to the event."""
    event = lookups.local_event(request, pk)
    log.record(Action.READ, obj=event, detail="local event sign-ups printed")
    pdf = local_print.signups_pdf(event, _signups(event), request.build_absolute_uri("/"))
    return local_print.pdf_response(pdf, f"signups-{event.pk}.pdf")


@require_GET
@access.require(EDIT)
def local_flyer(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 flyer (チラシ): large type, the QR code of the event's public page."""
    event = lookups.local_event(request, pk)
    pdf = local_print.flyer_pdf(event, request.build_absolute_uri("/"))
    return local_print.pdf_response(pdf, f"flyer-{event.pk}.pdf")
