"""The staff API's 研修・催し: the SCs' trainings and liaison meetings (Event) with their
registrations (the residents' local events are staff_local_events.py). See staff.py for
tokens, scopes and paging.

Each operation does what the events pages do for the same person, through the same lookups
(events/lookups.py), forms and services: a list shows what the pages list, one event comes
through lookups.event / lookups.local_event (404 unseen, 403 seen but not changeable), and
every write goes through the page's form and service. A registration is the caller's own, as
on the page (staff do not register others); a local event's sign-ups show what its staff page
shows, and reading them is audited as the page's reading is."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.events import lookups, services
from sasaeai.events.forms import CancelEventForm, EventForm
from sasaeai.events.kinds import kinds_of
from sasaeai.events.local_models import LocalEvent
from sasaeai.events.models import Event, EventKind, Registration, RegistrationStatus
from sasaeai.lib.fiscal import fiscal_year_bounds
from sasaeai.lib.paths import under

from . import staff
from .models import Scope
from .problems import Problem
from .staff import CODE, CodedName, Flag, Int, Number, When, form_invalid, known_only
from .tokens import Refused

router = staff.router("研修・催し（職員）")

VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH
State = RegistrationStatus


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def state_of(event: Event | LocalEvent) -> str:
    if event.is_cancelled:
        return "cancelled"
    return "published" if event.is_published else "draft"


# Schemas ----------------------------------------------------------------------------------


class Training(Schema):
    id: int
    title: str
    kind: CodedName
    area: CodedName = Field(description="対象（区全体・ブロック・地域）")
    organiser: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    when: str = Field(description="日時（表示用）", examples=["2026年12月3日（木）14:00〜16:00"])
    venue: str
    address: str
    latitude: float | None
    longitude: float | None
    capacity: int | None = Field(description="定員（null は定員なし）")
    deadline: dt.datetime | None = Field(description="申込締切（null は開始まで）")
    description: str
    is_public: bool
    how_to_apply: str
    state: Literal["draft", "published", "cancelled"] = Field(
        description="draft 下書き、published 公開中、cancelled 中止"
    )
    published_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    is_open: bool = Field(description="いま申し込めるか")
    registered: int = Field(description="申込済みの人数")
    waiting: int = Field(description="キャンセル待ちの人数")
    mine: str | None = Field(description="このトークンの持ち主の申込み（registered / waiting）")
    url: str = Field(description="職員ページ")


class TrainingPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[Training]


class TrainingFilters(staff.Paging):
    when: Literal["upcoming", "past"] | None = Field(None, description="これから / 終わった")
    state: Literal["draft", "published", "cancelled"] | None = Field(None, description="状態")
    area: str | None = Field(None, pattern=CODE, description="この地域とその下の催し（コード）")
    kind: str | None = Field(None, pattern=CODE, description="種類のコード")
    year: int | None = Field(None, ge=2000, le=2100, description="開始日の年度")


class TrainingIn(staff.Body):
    """A training or liaison meeting. To create one, title, kind, area, starts_at and
    ends_at are needed; to change one, send only what changes (null empties a field)."""

    title: str | None = Field(None, examples=["第2層SC等研修会"])
    kind: str | None = Field(
        None,
        pattern=CODE,
        examples=["training"],
        description="種類のコード（GET /api/staff/event-kinds/）",
    )
    area: str | None = Field(
        None,
        pattern=CODE,
        examples=["131199"],
        description="対象の地域のコード（区・ブロック・地域）",
    )
    organiser: str | None = Field(None, examples=["板橋区・板橋区社会福祉協議会"])
    starts_at: When | None = Field(None, examples=["2026-12-03T14:00:00+09:00"])
    ends_at: When | None = Field(None, examples=["2026-12-03T16:00:00+09:00"])
    venue: str | None = Field(None, examples=["板橋区役所 大会議室"])
    address: str | None = Field(None, examples=["東京都板橋区板橋二丁目66番1号"])
    latitude: Number | None = Field(None, examples=[35.7512])
    longitude: Number | None = Field(None, examples=[139.7094])
    capacity: Int | None = Field(None, examples=[40])
    deadline: When | None = Field(None, examples=["2026-11-26T17:00:00+09:00"])
    description: str | None = Field(None, examples=["地域の支え合いの進め方を学びます。"])
    is_public: Flag | None = Field(None, examples=[False])
    how_to_apply: str | None = Field(None, examples=["区役所の窓口へお電話ください。"])


class CallOff(staff.Body):
    reason: str = Field(..., examples=["台風が近づいているため"])


class RegistrationRow(Schema):
    id: int
    user_id: int
    name: str = Field(description="申し込んだ人（表示名）")
    status: Literal["registered", "waiting", "cancelled"]
    position: int | None = Field(description="キャンセル待ちの順番（1が次）")
    applied_at: dt.datetime
    attended: bool | None = Field(description="出席（null はまだ記録なし）")


class RegistrationRows(Schema):
    count: int
    items: list[RegistrationRow]


class Attendance(staff.Body):
    present: list[Int] = Field(
        ..., examples=[[12, 15]], description="出席した人の申込みの id（ほかの申込済みの人は欠席）"
    )


class TrainingKind(Schema):
    code: str
    name: str
    per_block: bool
    outside: bool


# Trainings and liaison meetings -----------------------------------------------------------


def _counted(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        n_registered=Count("registrations", filter=Q(registrations__status=State.REGISTERED)),
        n_waiting=Count("registrations", filter=Q(registrations__status=State.WAITING)),
    )


def _mine(request: HttpRequest, events: list[Event]) -> dict[int, str]:
    rows = (
        Registration.objects.filter(user=lookups.me(request), event__in=[e.pk for e in events])
        .exclude(status=State.CANCELLED)
        .values_list("event_id", "status")
    )
    return dict(rows)


def _event(request: HttpRequest, e: Event, mine: dict[int, str]) -> dict[str, Any]:
    return {
        "id": e.pk, "title": e.title, "organiser": e.organiser,
        "kind": {"code": e.kind.code, "name": e.kind.name},
        "area": {"code": e.area.code, "name": e.area.name},
        "starts_at": local_time(e.starts_at), "ends_at": local_time(e.ends_at), "when": e.when,
        "venue": e.venue, "address": e.address, "latitude": e.latitude,
        "longitude": e.longitude, "capacity": e.capacity, "deadline": local_time(e.deadline),
        "description": e.description, "is_public": e.is_public, "how_to_apply": e.how_to_apply,
        "state": state_of(e), "published_at": local_time(e.published_at),
        "cancelled_at": local_time(e.cancelled_at), "cancel_reason": e.cancel_reason,
        "is_open": e.is_open(), "registered": getattr(e, "n_registered", 0),
        "waiting": getattr(e, "n_waiting", 0), "mine": mine.get(e.pk),
        "url": request.build_absolute_uri(e.get_absolute_url()),
    }  # fmt: skip


def _answer(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The event as its page shows it now (counts and the caller's registration)."""
    found = _counted(lookups.visible(request)).get(pk=pk)
    return _event(request, found, _mine(request, [found]))


@router.get(
    "/events/",
    response={200: TrainingPage, 422: Problem},
    url_name="staff_events",
    summary="研修・連絡会の一覧",
)
def event_list(request: HttpRequest, filters: Query[TrainingFilters]) -> dict[str, Any]:
    """The events the caller sees on the events pages: those meant for them (an SC) once
    published, and every event, drafts too, of the areas they may edit."""
    staff.need(request, Scope.EVENTS_READ)
    known_only(request, filters)
    if not lookups.takes_part(request.user):
        access.refuse(request, "lacks event participation or editing")
    events = lookups.visible(request)
    if filters.when == "upcoming":
        events = events.upcoming()
    elif filters.when == "past":
        events = events.past().order_by("-starts_at", "-pk")
    if filters.state == "draft":
        events = events.filter(published_at__isnull=True)
    elif filters.state == "published":
        events = events.published().going_ahead()
    elif filters.state == "cancelled":
        events = events.called_off()
    if filters.area:
        events = events.filter(_under_code(filters.area))
    if filters.kind:
        events = events.filter(kind__code=filters.kind)
    if filters.year is not None:
        start, end = fiscal_year_bounds(filters.year)
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
    found = staff.page(_counted(events), filters)
    mine = _mine(request, found["items"])
    found["items"] = [_event(request, e, mine) for e in found["items"]]
    return found


def _under_code(code: str) -> Q:
    """Events of the areas of that code and below them (of any municipality: the list is
    already only what the caller sees)."""
    return under(list(Area.objects.filter(code=code).values_list("path", flat=True)), "area__path")


@router.get(
    "/event-kinds/",
    response=list[TrainingKind],
    url_name="staff_event_kinds",
    summary="研修・連絡会の種類",
)
def event_kinds(request: HttpRequest) -> list[EventKind]:
    """The kinds an event of the caller's municipality may have (the form's choices)."""
    staff.gate(request, Scope.EVENTS_READ, EDIT)
    return kinds_of(lookups.home_municipality(request))


@router.get(
    "/events/{event_id}/",
    response={200: Training, 404: Problem, 422: Problem},
    url_name="staff_event",
    summary="研修・連絡会ひとつ",
)
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """One event the caller may see (its page): 404 for any other."""
    staff.need(request, Scope.EVENTS_READ)
    return _answer(request, lookups.event(request, event_id).pk)


def _event_form(request: HttpRequest, event: Event, changes: dict[str, Any]) -> EventForm:
    """The page's form (events/staff_views._form) bound to the event's values and the
    changes; areas and kinds are named by their codes."""
    municipality = event.municipality if event.pk else lookups.home_municipality(request)
    kinds = EventKind.objects.filter(pk__in=[k.pk for k in kinds_of(municipality)])
    areas = lookups.editable_areas(request).filter(municipality=municipality)
    form = EventForm(instance=event, areas=areas, kinds=kinds)
    data = {**form.initial, "area": event.area.code if event.area_id else None,
            "kind": event.kind.code if event.kind_id else None, **changes}  # fmt: skip
    form = EventForm(data, instance=event, areas=areas, kinds=kinds)
    for name in ("area", "kind"):
        form.fields[name].to_field_name = "code"  # type: ignore[attr-defined]
    return form


@router.post(
    "/events/",
    response={201: Training, 422: Problem},
    url_name="staff_event_create",
    summary="研修・連絡会を作る（下書き）",
)
def event_create(request: HttpRequest, payload: TrainingIn) -> Status[dict[str, Any]]:
    """A new event, saved as a draft as on the page; publish it with …/publish/."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    changes = payload.model_dump(exclude_none=True)
    changes.setdefault("organiser", _("板橋区・板橋区社会福祉協議会"))
    form = _event_form(request, Event(), changes)
    if not form.is_valid():
        raise form_invalid(form)
    event = form.save(commit=False)
    event.municipality = event.area.municipality
    event.created_by = request.user
    event.save()
    return Status(201, _answer(request, event.pk))


@router.patch(
    "/events/{event_id}/",
    response={200: Training, 404: Problem, 422: Problem},
    url_name="staff_event_update",
    summary="研修・連絡会を変える",
)
def event_update(request: HttpRequest, event_id: int, payload: TrainingIn) -> dict[str, Any]:
    """Change what is sent; the rest stays. A published event's subscribers see the change
    and a larger capacity moves waiters up, as on the page. A called-off event stays as it is."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.event(request, event_id, EDIT)
    if event.is_cancelled:
        raise Refused("invalid", _("中止した催しは編集できません。"), 422)
    form = _event_form(request, event, payload.model_dump(exclude_unset=True))
    if not form.is_valid():
        raise form_invalid(form)
    with staff.ruled():
        services.save_event(form.save(commit=False))
    return _answer(request, event.pk)


@router.delete(
    "/events/{event_id}/",
    response={204: None, 404: Problem, 422: Problem},
    url_name="staff_event_delete",
    summary="下書きの研修・連絡会を削除する",
)
def event_delete(request: HttpRequest, event_id: int) -> Status[None]:
    """Delete a draft never published; a published event is called off instead (422)."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.event(request, event_id, EDIT)
    with staff.ruled():
        services.delete_draft(event)
    return Status(204, None)


@router.post(
    "/events/{event_id}/publish/",
    response={200: Training, 404: Problem, 422: Problem},
    url_name="staff_event_publish",
    summary="研修・連絡会を公開する",
)
def event_publish(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Publish a draft: the SCs it is for are told once. Publishing again changes nothing."""
    staff.gate(request, Scope.EVENTS_WRITE, PUBLISH)
    event = lookups.event(request, event_id, PUBLISH)
    services.publish(event)
    return _answer(request, event.pk)


@router.post(
    "/events/{event_id}/call-off/",
    response={200: Training, 404: Problem, 422: Problem},
    url_name="staff_event_call_off",
    summary="研修・連絡会を中止にする",
)
def event_call_off(request: HttpRequest, event_id: int, payload: CallOff) -> dict[str, Any]:
    """Call off a published event that has not ended, with a reason; those registered and
    waiting are told."""
    staff.gate(request, Scope.EVENTS_WRITE, PUBLISH)
    event = lookups.event(request, event_id, PUBLISH)
    form = CancelEventForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    with staff.ruled():
        services.cancel_event(event, form.cleaned_data["reason"])
    return _answer(request, event.pk)


def _registrations(rows: QuerySet[Registration]) -> dict[str, Any]:
    items = list(rows.select_related("user"))
    queue = Registration.objects.filter(event_id__in={r.event_id for r in items})
    positions = queue.queue_positions()
    return {"count": len(items), "items": [_registration(r, positions) for r in items]}


def _registration(r: Registration, positions: dict[int, int]) -> dict[str, Any]:
    return {"id": r.pk, "user_id": r.user_id, "name": str(r.user), "status": r.status,
            "position": positions.get(r.pk), "applied_at": local_time(r.applied_at),
            "attended": r.attended}  # fmt: skip


@router.get(
    "/events/{event_id}/registrations/",
    response={200: RegistrationRows, 404: Problem, 422: Problem},
    url_name="staff_event_registrations",
    summary="申し込んだ人",
)
def registration_list(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Those registered and waiting, in order of application, as the event's page shows
    them to those who may edit it (403 for the SCs it is for)."""
    staff.need(request, Scope.EVENTS_READ)
    event = lookups.event(request, event_id, EDIT)
    return _registrations(event.registrations.exclude(status=State.CANCELLED))


@router.post(
    "/events/{event_id}/registration/",
    response={200: RegistrationRow, 404: Problem, 422: Problem},
    url_name="staff_event_register",
    summary="自分が申し込む",
)
def register(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The caller registers for an event meant for them (a place, or the waiting list when
    it is full), as with the page's button; registering again changes nothing."""
    staff.need(request, Scope.EVENTS_WRITE)
    event = lookups.event(request, event_id)
    with staff.ruled():
        registration = services.register(event, request.user)
    return _registrations(Registration.objects.filter(pk=registration.pk))["items"][0]


@router.delete(
    "/events/{event_id}/registration/",
    response={200: RegistrationRow, 404: Problem, 422: Problem},
    url_name="staff_event_unregister",
    summary="自分の申込みを取り消す",
)
def unregister(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The caller cancels their registration before the deadline; a freed place goes to
    the first on the waiting list."""
    staff.need(request, Scope.EVENTS_WRITE)
    event = lookups.event(request, event_id)
    with staff.ruled():
        registration = services.cancel(event, request.user)
    return _registrations(Registration.objects.filter(pk=registration.pk))["items"][0]


@router.put(
    "/events/{event_id}/attendance/",
    response={200: RegistrationRows, 404: Problem, 422: Problem},
    url_name="staff_event_attendance",
    summary="出席を記録する",
)
def attendance(request: HttpRequest, event_id: int, payload: Attendance) -> dict[str, Any]:
    """Who came, among those registered (by their registration ids); the others are marked
    absent, as on the attendance page. Only once the event has started."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.event(request, event_id, EDIT)
    with staff.ruled():
        services.record_attendance(event, payload.present)
    return _registrations(event.registrations.registered())
