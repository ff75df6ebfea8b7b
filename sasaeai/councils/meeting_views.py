"""Staff pages of meetings: list, create (single or series), agenda, attendance, actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import lookups, services
from .document import meeting_document
from .forms import (
    ActionForm,
    AgendaItemForm,
    ApproveForm,
    AttendanceForm,
    CorrectForm,
    MeetingForm,
    SeriesForm,
)
from .models import ActionItem, ActionStatus, AgendaItem, Attendance, Meeting
from .pages import form_page

VIEW, EDIT = lookups.VIEW, lookups.EDIT


@require_GET
@access.require(VIEW)
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk)
    page = Paginator(council.meetings.all(), 30).get_page(request.GET.get("page"))
    context = {"council": council, "page": page, "can_edit": lookups.can_edit(request, council)}
    return render(request, "councils/staff/meetings.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk, EDIT)
    form = MeetingForm(request.POST or None, initial={"venue": council.venue})
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(council, **form.cleaned_data)
        messages.success(request, _("%(title)sの会議を作りました。") % {"title": meeting.title})
        return redirect(meeting)
    return form_page(
        request, form, council=council, back=council.get_absolute_url(),
        title=_("会議を作る（第%(n)d回）") % {"n": services.next_number(council)},
        submit=_("作る"), lead=_("番号は自動でつきます。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def series_new(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk, EDIT)
    form = SeriesForm(request.POST or None, initial={"venue": council.venue, "nth": 3})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            series = form.save(commit=False)
            series.council = council
            series.save()
            made = services.make_series_meetings(series, data["start"], data["months"])
        messages.success(request, _("%(n)d回分の会議を作りました。") % {"n": len(made)})
        return redirect("councils_staff:meetings", council.pk)
    return form_page(
        request, form, council=council, back=council.get_absolute_url(),
        title=_("定例の会議をまとめて作る"), submit=_("まとめて作る"),
        lead=_("例: 毎月第3木曜。指定した月数分の会議を、番号をつけて作ります。"),
    )  # fmt: skip


@require_GET
@access.require(VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk)
    context = {
        **meeting_document(meeting),
        "revisions": meeting.minutes.order_by("revision"),
        "can_edit": lookups.can_edit(request, meeting),
        "can_publish": access.can(request.user, lookups.PUBLISH, meeting.council.area),
        "approve_form": ApproveForm(),
        "correct_form": CorrectForm(),
        "photo_count": meeting.photos.count(),
    }
    return render(request, "councils/staff/meeting.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, EDIT)
    form = MeetingForm(request.POST or None, instance=meeting)
    back = meeting.get_absolute_url()
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("会議の日時と会場を保存しました。"))
        return redirect(meeting)
    return form_page(
        request, form, meeting=meeting, back=back, status=optimistic.status(form),
        title=_("日時と会場"), submit=_("保存する"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def agenda_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, EDIT)
    return _agenda_form(request, meeting, AgendaItem(meeting=meeting))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = lookups.agenda_item(request, pk, EDIT)
    return _agenda_form(request, item.meeting, item)


def _agenda_form(request: HttpRequest, meeting: Meeting, item: AgendaItem) -> HttpResponse:
    activities = lookups.linkable_activities(request, meeting.council)
    form = AgendaItemForm(request.POST or None, instance=item, activities=activities)
    back = meeting.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        if item.pk is None:
            item.order = services.next_agenda_order(meeting)
        if optimistic.saved(form, link=back):
            messages.success(
                request, _("議題「%(title)s」を保存しました。") % {"title": item.title}
            )
            return redirect(item.meeting)
    return form_page(
        request, form, meeting=meeting, back=back, status=optimistic.status(form),
        title=_("議題を追加する") if item.pk is None else _("議題を編集する"), submit=_("保存する"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, EDIT)
    attendance = Attendance.objects.filter(meeting=meeting).first()
    initial: dict[str, object] = {}
    if attendance is not None:
        initial = {"members": attendance.members.all()}
        initial.update({f"guests_{k}": n for k, n in attendance.guests.items()})
    members = meeting.council.members.current(meeting.date)
    form = AttendanceForm(
        request.POST or None, initial=initial, members=members,
        record=attendance or Attendance(meeting=meeting),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # Two first records of one meeting wait for each other here.
                Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
                if attendance is None:  # opened before anyone recorded it: still nobody?
                    optimistic.unclaimed_new(Attendance, form.version_read, meeting=meeting)
                else:
                    optimistic.claim(attendance, form.version_read)
                saved = services.record_attendance(
                    meeting, list(form.cleaned_data["members"]), form.guests()
                )
        except optimistic.Stale as stale:
            form.refuse(stale, link=meeting.get_absolute_url())
            if stale.current is not None and form.stale is not None:
                form.stale = optimistic.Saved(form.saved_now(stale.current), form.stale.link)
        else:
            messages.success(request, _("出席を記録しました（合計%(n)d人）。") % {"n": saved.total})
            return redirect(meeting)
    return form_page(
        request, form, meeting=meeting, back=meeting.get_absolute_url(),
        title=_("出席の記録"), submit=_("記録する"), status=optimistic.status(form),
        lead=_("出席したメンバーに印をつけ、ゲストは分野ごとの人数を入れてください。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, EDIT)
    return _action_form(request, ActionItem(meeting=meeting))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_form(request, lookups.action(request, pk, EDIT))


def _action_form(request: HttpRequest, action: ActionItem) -> HttpResponse:
    meeting = action.meeting
    activities = lookups.linkable_activities(request, meeting.council)
    form = ActionForm(request.POST or None, instance=action, meeting=meeting, activities=activities)
    back = meeting.get_absolute_url()
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("「%(what)s」を保存しました。") % {"what": action.what})
        return redirect(meeting)
    return form_page(
        request, form, meeting=meeting, back=back, status=optimistic.status(form),
        title=_("やることを追加する") if action.pk is None else _("やることを編集する"),
        submit=_("保存する"),
    )  # fmt: skip


@require_POST
@access.require(EDIT)
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = lookups.action(request, pk, EDIT)
    status = request.POST.get("status", "")
    if status in ActionStatus.values:
        services.set_action_status(action, status)
        messages.success(
            request,
            _("「%(what)s」を「%(status)s」にしました。")
            % {"what": action.what, "status": action.get_status_display()},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect(action.meeting)
