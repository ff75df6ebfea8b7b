"""The staff API's 地域の催し: the residents' local events (LocalEvent) with their sign-ups,
as the local events' staff pages manage them. See staff.py for tokens, scopes and paging, and
staff_events.py for the trainings.

Each operation does what those pages do for the same person: the events come through
lookups.managed_local / lookups.local_event (404 unseen, 403 seen but not changeable), every
write through the page's form and service; the sign-ups show what the staff page shows, and
reading them is audited as the page's reading is."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.events import local_services, lookups
from sasaeai.events.forms import CancelEventForm
from sasaeai.events.local_forms import LocalEventForm, SignupForm
from sasaeai.events.local_models import LocalEvent, LocalKind, Signup
from sasaeai.events.models import RegistrationStatus

from . import staff
from .models import Scope
from .problems import Problem
from .staff import CODE, CodedName, Int, When, form_invalid, known_only
from .staff_events import CallOff, local_time, state_of
from .tokens import Refused

router = staff.router("地域の催し（職員）")
VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH
State = RegistrationStatus


class LocalEventOut(Schema):
    id: int
    title: str
    kind: CodedName
    area: CodedName = Field(description="地域")
    organiser: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    when: str = Field(examples=["2026年12月3日（木）14:00〜16:00"])
    venue: str
    address: str
    capacity: int | None = Field(description="定員（人、null は定員なし）")
    fee: str
    bring: str
    description: str
    state: Literal["draft", "published", "cancelled"]
    published_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    is_open: bool
    registered: int = Field(description="申込済みの人数（人）")
    waiting: int = Field(description="キャンセル待ちの申込みの数")
    url: str = Field(description="職員ページ")
    public_url: str = Field(description="区民向けのページ（公開中のとき）")


class LocalEventPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[LocalEventOut]


class LocalFilters(staff.Paging):
    when: Literal["upcoming", "past"] | None = Field(None, description="これから / 終わった")


class LocalEventIn(staff.Body):
    """A local event. To create one, title, kind, area, organiser, starts_at, ends_at, venue
    and description are needed; to change one, send only what changes."""

    title: str | None = Field(None, examples=["いきいき体操 体験会"])
    kind: LocalKind | None = Field(None, examples=["taiken"])
    area: str | None = Field(
        None, pattern=CODE, examples=["takashimadaira"], description="地域のコード"
    )
    organiser: str | None = Field(None, examples=["高島平地域 支え合い会議"])
    starts_at: When | None = Field(None, examples=["2026-12-03T10:00:00+09:00"])
    ends_at: When | None = Field(None, examples=["2026-12-03T11:30:00+09:00"])
    venue: str | None = Field(None, examples=["高島平地域センター"])
    address: str | None = Field(None, examples=["東京都板橋区高島平三丁目12番28号"])
    capacity: Int | None = Field(None, examples=[20])
    fee: str | None = Field(None, examples=["無料"])
    bring: str | None = Field(None, examples=["動きやすい服装、タオル"])
    description: str | None = Field(None, examples=["椅子に座ってできる体操です。"])


class SignupOut(Schema):
    id: int
    receipt: str = Field(description="受付番号", examples=["12-003"])
    name: str
    phone: str
    email: str
    people: int
    status: Literal["registered", "waiting", "cancelled"]
    position: int | None = Field(description="キャンセル待ちの順番（1が次）")
    moved_up: bool = Field(description="キャンセル待ちから繰り上がった（連絡が要る）")


class SignupList(Schema):
    count: int
    purged: bool = Field(description="お名前と連絡先はもう消えている（催しの90日後）")
    items: list[SignupOut]


class SignupIn(staff.Body):
    name: str = Field(..., examples=["青木 花子"])
    phone: str = Field("", examples=["03-1234-5678"])
    email: str = Field("", examples=["hanako@example.jp"])
    people: Int = Field(1, examples=[2], description="参加する人数（ご本人を含めて、1〜9）")


class SignupCancelled(Schema):
    cancelled: SignupOut
    moved_up: list[SignupOut] = Field(description="繰り上がった申込み（電話などで知らせる）")


def _local_counted(events: QuerySet[LocalEvent]) -> QuerySet[LocalEvent]:
    registered = Q(signups__status=State.REGISTERED)
    return events.annotate(
        n_registered=Sum("signups__people", filter=registered, default=0),
        n_waiting=Count("signups", filter=Q(signups__status=State.WAITING)),
    )


def _local_event(request: HttpRequest, e: LocalEvent) -> dict[str, Any]:
    return {
        "id": e.pk, "title": e.title, "organiser": e.organiser,
        "kind": {"code": e.kind, "name": e.get_kind_display()},
        "area": {"code": e.area.code, "name": e.area.name},
        "starts_at": local_time(e.starts_at), "ends_at": local_time(e.ends_at), "when": e.when,
        "venue": e.venue, "address": e.address, "capacity": e.capacity, "fee": e.fee,
        "bring": e.bring, "description": e.description, "state": state_of(e),
        "published_at": local_time(e.published_at), "cancelled_at": local_time(e.cancelled_at),
        "cancel_reason": e.cancel_reason, "is_open": e.is_open(),
        "registered": getattr(e, "n_registered", 0), "waiting": getattr(e, "n_waiting", 0),
        "url": request.build_absolute_uri(e.get_absolute_url()),
        "public_url": request.build_absolute_uri(e.public_url()),
    }  # fmt: skip


def _local_answer(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _local_event(request, _local_counted(lookups.managed_local(request)).get(pk=pk))


@router.get(
    "/local-events/",
    response={200: LocalEventPage, 422: Problem},
    url_name="staff_local_events",
    summary="地域の催しの一覧",
)
def local_list(request: HttpRequest, filters: Query[LocalFilters]) -> dict[str, Any]:
    """The local events of the areas the caller may edit, drafts too (the 地域の催し page)."""
    staff.need(request, Scope.EVENTS_READ)
    known_only(request, filters)
    staff.door(request, EDIT)
    events = lookups.managed_local(request)
    if filters.when == "upcoming":
        events = events.upcoming()
    elif filters.when == "past":
        events = events.past().order_by("-starts_at", "-pk")
    found = staff.page(_local_counted(events), filters)
    found["items"] = [_local_event(request, e) for e in found["items"]]
    return found


@router.get(
    "/local-events/{event_id}/",
    response={200: LocalEventOut, 404: Problem, 422: Problem},
    url_name="staff_local_event",
    summary="地域の催しひとつ",
)
def local_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """One local event of an area the caller may edit (404 for any other, 403 for those who
    may only see the area)."""
    staff.gate(request, Scope.EVENTS_READ, EDIT)
    return _local_answer(request, lookups.local_event(request, event_id).pk)


def _local_form(request: HttpRequest, event: LocalEvent, changes: dict[str, Any]) -> Any:
    areas = lookups.local_regions(request)
    form = LocalEventForm(instance=event, areas=areas)
    data = {**form.initial, "area": event.area.code if event.area_id else None, **changes}
    form = LocalEventForm(data, instance=event, areas=areas)
    form.fields["area"].to_field_name = "code"  # type: ignore[attr-defined]
    return form


@router.post(
    "/local-events/",
    response={201: LocalEventOut, 422: Problem},
    url_name="staff_local_event_create",
    summary="地域の催しを作る（下書き）",
)
def local_create(request: HttpRequest, payload: LocalEventIn) -> Status[dict[str, Any]]:
    """A new local event, saved as a draft; publish it with …/publish/."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    form = _local_form(request, LocalEvent(), payload.model_dump(exclude_none=True))
    if not form.is_valid():
        raise form_invalid(form)
    event = form.save(commit=False)
    event.municipality = event.area.municipality or event.area
    event.created_by = request.user
    event.save()
    return Status(201, _local_answer(request, event.pk))


@router.patch(
    "/local-events/{event_id}/",
    response={200: LocalEventOut, 404: Problem, 422: Problem},
    url_name="staff_local_event_update",
    summary="地域の催しを変える",
)
def local_update(request: HttpRequest, event_id: int, payload: LocalEventIn) -> dict[str, Any]:
    """Change what is sent; more seats move waiters up (see the sign-ups' moved_up)."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.local_event(request, event_id)
    if event.is_cancelled:
        raise Refused("invalid", _("中止した催しは編集できません。"), 422)
    form = _local_form(request, event, payload.model_dump(exclude_unset=True))
    if not form.is_valid():
        raise form_invalid(form)
    with staff.ruled():
        local_services.save_event(form.save(commit=False))
    return _local_answer(request, event.pk)


@router.delete(
    "/local-events/{event_id}/",
    response={204: None, 404: Problem, 422: Problem},
    url_name="staff_local_event_delete",
    summary="下書きの地域の催しを削除する",
)
def local_delete(request: HttpRequest, event_id: int) -> Status[None]:
    """Delete a draft never published; a published one is called off instead (422)."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.local_event(request, event_id)
    with staff.ruled():
        local_services.delete_draft(event)
    return Status(204, None)


@router.post(
    "/local-events/{event_id}/publish/",
    response={200: LocalEventOut, 404: Problem, 422: Problem},
    url_name="staff_local_event_publish",
    summary="地域の催しを公開する",
)
def local_publish(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Publish on the public site, where residents sign up; again changes nothing."""
    staff.gate(request, Scope.EVENTS_WRITE, PUBLISH)
    event = lookups.local_event(request, event_id, PUBLISH)
    with staff.ruled():
        local_services.publish(event)
    return _local_answer(request, event.pk)


@router.post(
    "/local-events/{event_id}/call-off/",
    response={200: LocalEventOut, 404: Problem, 422: Problem},
    url_name="staff_local_event_call_off",
    summary="地域の催しを中止にする",
)
def local_call_off(request: HttpRequest, event_id: int, payload: CallOff) -> dict[str, Any]:
    """Call off a published event that has not ended; its public page shows the reason."""
    staff.gate(request, Scope.EVENTS_WRITE, PUBLISH)
    event = lookups.local_event(request, event_id, PUBLISH)
    form = CancelEventForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    with staff.ruled():
        local_services.cancel_event(event, form.cleaned_data["reason"])
    return _local_answer(request, event.pk)


def _signup(s: Signup, position: int | None = None) -> dict[str, Any]:
    return {"id": s.pk, "receipt": s.receipt, "name": s.name, "phone": s.phone,
            "email": s.email, "people": s.people, "status": s.status, "position": position,
            "moved_up": s.promoted_at is not None}  # fmt: skip


@router.get(
    "/local-events/{event_id}/signups/",
    response={200: SignupList, 404: Problem, 422: Problem},
    url_name="staff_local_signups",
    summary="地域の催しに申し込んだ方",
)
def signup_list(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Those signed up and waiting (not those cancelled), with what the event's page shows
    of them; who read them is kept in the audit log, as for the page."""
    staff.gate(request, Scope.EVENTS_READ, EDIT)
    event = lookups.local_event(request, event_id)
    rows = list(event.signups.active().order_by("applied_at", "pk"))
    if rows:
        log.record(Action.READ, obj=event, detail="local event sign-ups")
    items, place = [], 0
    for row in rows:
        place += row.status == State.WAITING
        items.append(_signup(row, place if row.status == State.WAITING else None))
    purged = event.signups.filter(purged_at__isnull=False).exists()
    return {"count": len(items), "purged": purged, "items": items}


@router.post(
    "/local-events/{event_id}/signups/",
    response={201: SignupOut, 404: Problem, 422: Problem},
    url_name="staff_local_signup_add",
    summary="申込みを受け付ける（電話・窓口）",
)
def signup_add(request: HttpRequest, event_id: int, payload: SignupIn) -> Status[dict[str, Any]]:
    """A sign-up the coordinator took by phone or at the desk: a place, or the waiting
    list when it is full (status says which)."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    event = lookups.local_event(request, event_id)
    form = SignupForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    data = form.cleaned_data
    with staff.ruled():
        signup = local_services.sign_up(event, name=data["name"], phone=data["phone"],
                                        email=data["email"], people=data["people"])  # fmt: skip
    return Status(201, _signup(signup, local_services.waiting_position(signup)))


@router.post(
    "/local-signups/{signup_id}/cancel/",
    response={200: SignupCancelled, 404: Problem, 422: Problem},
    url_name="staff_local_signup_cancel",
    summary="申込みを取り消す",
)
def signup_cancel(request: HttpRequest, signup_id: int) -> dict[str, Any]:
    """Cancel a sign-up (the resident phoned); the freed seats go to the waiting list, and
    those who moved up are listed, to be told."""
    staff.gate(request, Scope.EVENTS_WRITE, EDIT)
    signup = lookups.signup(request, signup_id)
    with staff.ruled():
        moved_up = local_services.cancel_signup(signup)
    signup.refresh_from_db()
    return {"cancelled": _signup(signup), "moved_up": [_signup(s) for s in moved_up]}
