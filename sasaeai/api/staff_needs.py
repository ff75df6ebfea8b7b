"""The staff API's 困りごと: the list with the staff list's filters, one need with its timeline,
and the steps along its path (status changes, reopening). See staff.py for tokens, scopes and
paging.

Each operation is the twin of a page of needs/staff_views.py: the same gate, lookups, forms
and services. A resident's name and contact are shown as the need's page shows them: only to
those who may edit the need's area, never in the list. Referrals are not in the API.

Reading a need does not mark it seen (新着 stays for the people who open the page; a script
that reads every need would otherwise clear them all); a step taken through the API does, as
the page the step returns to would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as FormError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import ValidationError
from pydantic import Field

from sasaeai.accounts import access
from sasaeai.needs import lookups, services
from sasaeai.needs.forms import FilterForm, ReopenForm, StatusForm
from sasaeai.needs.models import Need, NeedEvent, NeedKind

from . import staff
from .models import Scope
from .problems import Problem
from .staff import CODE, Day, Id, Key, conflict, form_invalid, known_only

router = staff.router("困りごと（職員）")
VIEW, EDIT = lookups.VIEW, lookups.EDIT


# ---- answers ---------------------------------------------------------------------------


class AreaOut(Schema):
    code: str
    name: str


class KindOut(Schema):
    code: str
    name: str


class NeedBrief(Schema):
    id: int
    number: str = Field(examples=["N-2026-0042"])
    kind: KindOut
    what: str
    status: str
    status_label: str = Field(examples=["未対応"])
    area: AreaOut
    reported_on: dt.date
    source: str
    people_count: int
    urgency: int = Field(description="1: 急がない, 2: ふつう, 3: 急ぐ")
    is_new: bool = Field(description="住民の受付フォームから届き、まだ職員が開いていない（新着）")


class NeedPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[NeedBrief]


class Reporter(Schema):
    """Who told of the need: named only with consent, and then only to those who may edit."""

    consent: bool = Field(description="本人が名前と連絡先を残すことに同意している")
    name: str | None = Field(description="編集できる人にだけ（同意があるとき）")
    contact: str | None = Field(description="編集できる人にだけ（同意があるとき）")
    consent_recorded_at: dt.datetime | None


class Ref(Schema):
    id: int
    name: str


class MeetingRef(Schema):
    id: int
    council: str
    title: str
    date: dt.date


class IntroductionOut(Schema):
    activity: Ref | None
    helper_number: str | None = Field(description="担い手の番号（名前は担い手のページで）")
    outcome: str
    outcome_label: str
    reasons: str


class EventOut(Schema):
    on: dt.date
    action: str
    status: str
    status_label: str
    by: str = Field(description="記録した人")
    meeting: MeetingRef | None
    activity: Ref | None
    referred_to: str
    note: str
    introduction: IntroductionOut | None


class Transition(Schema):
    status: str
    label: str


class NeedOut(NeedBrief):
    reporter: Reporter
    receipt: str | None = Field(description="受付番号（確認用、編集できる人にだけ）")
    meeting: MeetingRef | None
    activity: Ref | None
    referred_to: str
    events: list[EventOut]
    can_edit: bool
    allowed_transitions: list[Transition] = Field(
        description="今とれる状態の変更（編集できる人に）"
    )


# ---- what each answer holds -----------------------------------------------------------


def _brief(need: Need) -> dict[str, Any]:
    return {
        "id": need.pk,
        "number": need.number,
        "kind": {"code": need.kind.code, "name": need.kind.name},
        "what": need.what,
        "status": need.status,
        "status_label": need.get_status_display(),
        "area": {"code": need.area.code, "name": need.area.name},
        "reported_on": need.reported_on,
        "source": need.source,
        "people_count": need.people_count,
        "urgency": need.urgency,
        "is_new": need.is_new_arrival,
    }


def _meeting(meeting: Any) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "id": meeting.pk,
        "council": meeting.council.name,
        "title": meeting.title,
        "date": meeting.date,
    }


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _event(event: NeedEvent) -> dict[str, Any]:
    intro = getattr(event, "introduction", None)
    return {
        "on": event.on,
        "action": event.action,
        "status": event.status,
        "status_label": event.get_status_display(),
        "by": event.by_name or _("システム"),
        "meeting": _meeting(event.meeting),
        "activity": _ref(event.activity),
        "referred_to": event.referred_to,
        "note": event.note,
        "introduction": None
        if intro is None
        else {
            "activity": _ref(intro.activity),
            "helper_number": intro.helper.number if intro.helper else None,
            "outcome": intro.outcome,
            "outcome_label": intro.get_outcome_display(),
            "reasons": intro.reasons,
        },
    }


def _need(request: HttpRequest, need: Need) -> dict[str, Any]:
    """What the need's page shows this person (needs/staff/detail.html)."""
    can_edit = lookups.can_edit(request, need)
    named = can_edit and need.reporter_consent
    events = need.events.select_related(
        "meeting__council", "activity", "introduction__activity", "introduction__helper"
    )
    transitions = need.allowed_transitions() if can_edit and need.is_open else []
    return {
        **_brief(need),
        "reporter": {
            "consent": need.reporter_consent,
            "name": need.reporter_name if named else None,
            "contact": need.reporter_contact if named else None,
            "consent_recorded_at": need.consent_recorded_at if named else None,
        },
        "receipt": need.receipt if can_edit else None,
        "meeting": _meeting(need.meeting),
        "activity": _ref(need.activity),
        "referred_to": need.referred_to,
        "events": [_event(e) for e in events],
        "can_edit": can_edit,
        "allowed_transitions": [{"status": s, "label": label} for s, label in transitions],
    }


# ---- reading ----------------------------------------------------------------------------


class NeedFilters(staff.Paging):
    area: str | None = Field(
        None, pattern=CODE, description="この地域（と、その下）だけ（地域コード）"
    )
    kind: str | None = Field(None, pattern=CODE, description="この種類だけ（種類のコード）")
    status: str | None = Field(None, description="open（対応中）か、状態のひとつ（new など）")
    dated: str | None = Field(
        None, description="期間で見る日: 空（受け付けた日）か met（応えた日）"
    )
    start: Day | None = Field(None, description="期間（から）")
    end: Day | None = Field(None, description="期間（まで）")
    new_only: bool = Field(False, description="新着だけ")


def _filter_form(request: HttpRequest, filters: NeedFilters) -> FilterForm:
    """The staff list's FilterForm, bound to the filters (areas and kinds by their codes)."""
    areas = access.areas(request.user, VIEW)
    first = areas.order_by("path").first()
    municipality = (first.municipality or first) if first else None
    kinds = NeedKind.objects.filter(municipality=municipality)

    def key(rows: Any, code: str | None) -> str:
        if not code:
            return ""
        found = rows.filter(code=code).values_list("pk", flat=True).first()
        return str(found) if found is not None else "-1"  # -1: the form says it is no choice

    data = {
        "area": key(areas, filters.area),
        "kind": key(kinds, filters.kind),
        "status": filters.status or "",
        "dated": filters.dated or "",
        "start": filters.start or "",
        "end": filters.end or "",
        "new_only": filters.new_only,
    }
    return FilterForm(data, areas=areas, kinds=kinds)


@router.get(
    "/needs/",
    response={200: NeedPage, 422: Problem},
    summary="困りごとの一覧",
    url_name="staff_needs",
)
def need_list(request: HttpRequest, filters: Query[NeedFilters]) -> dict[str, Any]:
    """The needs this person sees, newest first, with the filters of the staff list; a filter
    it cannot use answers 422 (the list page would ignore it)."""
    staff.gate(request, Scope.NEEDS_READ, VIEW)
    known_only(request, filters)
    form = _filter_form(request, filters)
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ("query", field), "msg": str(message)}
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    needs = lookups.needs(request).narrowed(form.cleaned_data)
    found = staff.page(needs.order_by("-reported_on", "-id"), filters)
    found["items"] = [_brief(need) for need in found["items"]]
    return found


@router.get(
    "/needs/{pk}/",
    response={200: NeedOut, 404: Problem, 422: Problem},
    summary="困りごとひとつ（経過つき）",
    url_name="staff_need",
)
def need_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """One need with its timeline, as its page shows it to this person."""
    staff.gate(request, Scope.NEEDS_READ, VIEW)
    return _need(request, lookups.need(request, pk))


# ---- steps ------------------------------------------------------------------------------


class StatusIn(staff.Body):
    to: str = Field(examples=["met_by_activity"], description="次の状態（allowed_transitions）")
    on: Day | None = Field(None, examples=["2026-05-21"], description="日付（省略: 今日）")
    meeting: Key | None = Field(None, description="話し合った会議の id")
    activity: Key | None = Field(None, description="つないだ活動・始まった活動の id")
    referred_to: str = Field("", max_length=200, examples=["おとしより相談センター高島平"])
    note: str = Field("", max_length=1000, examples=["サロンの世話人に紹介した。"])


@router.post(
    "/needs/{pk}/status/",
    response={200: NeedOut, 404: Problem, 409: Problem, 422: Problem},
    summary="困りごとの状態を変える",
    url_name="staff_need_status",
)
def need_status(request: HttpRequest, pk: Id, payload: StatusIn) -> dict[str, Any]:
    """One step along new → discussed → an outcome, with what the step must record (the
    activity, where it was referred to, why it cannot be met). A closed need answers 409:
    reopen it first."""
    staff.gate(request, Scope.NEEDS_WRITE, EDIT)
    need = lookups.need(request, pk, EDIT)
    if not need.is_open:
        raise conflict("closed", _("この困りごとは対応を終えています。先に再開してください。"))
    data = {**payload.dict(), "on": payload.on or timezone.localdate()}
    form = StatusForm(
        data,
        need=need,
        meetings=lookups.linkable_meetings(request, need),
        activities=lookups.linkable_activities(request, need),
    )
    if not form.is_valid():
        raise form_invalid(form)
    step = form.cleaned_data
    try:
        services.move(
            need,
            step["to"],
            by=request.user,
            on=step["on"],
            note=step["note"],
            meeting=step["meeting"],
            activity=step["activity"],
            referred_to=step["referred_to"],
        )
    except FormError as error:
        raise staff.broken(error.messages[0]) from None
    services.mark_seen(need)
    return _need(request, lookups.need(request, pk))


class ReopenIn(staff.Body):
    note: str = Field(max_length=1000, examples=["同じ方から、また相談があった。"])


@router.post(
    "/needs/{pk}/reopen/",
    response={200: NeedOut, 404: Problem, 409: Problem, 422: Problem},
    summary="困りごとを再開する",
    url_name="staff_need_reopen",
)
def need_reopen(request: HttpRequest, pk: Id, payload: ReopenIn) -> dict[str, Any]:
    """Open a closed need again (back to 話し合った if it ever was, else 未対応); an open need
    answers 409."""
    staff.gate(request, Scope.NEEDS_WRITE, EDIT)
    need = lookups.need(request, pk, EDIT)
    if need.is_open:
        raise conflict("open", _("この困りごとは対応中です。再開する必要はありません。"))
    form = ReopenForm(payload.dict())
    if not form.is_valid():
        raise form_invalid(form)
    services.reopen(need, by=request.user, note=form.cleaned_data["note"])
    services.mark_seen(need)
    return _need(request, lookups.need(request, pk))
