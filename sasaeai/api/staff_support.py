"""The staff API's 応援の依頼 (support requests from a council to the ward side): list, read,
ask, the ward side's steps (accept, finish, decline) and the conversation. See staff.py for
tokens, scopes and paging.

As on the support pages (support/request_views.py), through support/lookups.py: whoever
holds VIEW on a request's area sees it; the council side of that area asks and writes; the
ward side (EDIT on the area above) answers. A request's content is not edited after it was
sent, on the pages or here: what changes is its status and its conversation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import BeforeValidator, Field

from sasaeai.accounts import access
from sasaeai.councils.models import Meeting
from sasaeai.lib.indicators import Scope as Years
from sasaeai.lib.paths import under
from sasaeai.needs.models import Need
from sasaeai.support import lookups, services
from sasaeai.support.figures import IN_YEAR
from sasaeai.support.forms import FilterForm, MessageForm, RequestForm, StepForm
from sasaeai.support.models import Kind, RequestEvent, RequestMessage, Side, SupportRequest, Topic
from sasaeai.support.request_views import MEETINGS_SINCE
from sasaeai.support.services import STEPS

from . import staff
from .models import Scope
from .problems import Problem
from .staff import CODE, CodedName, Int, form_invalid, known_only

router = staff.router("支援の依頼（職員）")

VIEW, EDIT, COUNCIL, WARD = lookups.VIEW, lookups.EDIT, lookups.COUNCIL, lookups.WARD


def _day(value: Any) -> Any:
    """A date written 2026-12-03 only: pydantic would read a number as seconds since 1970."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(_("日付は 2026-12-03 の形で書いてください。"))
    return value


Day = Annotated[dt.date, BeforeValidator(_day)]


class SupportCouncil(Schema):
    id: int
    name: str


class SupportRequestOut(Schema):
    id: int
    number: str = Field(examples=["S-00012"])
    title: str
    kind: CodedName = Field(description="応援の種類（学び合う・支え合う・つなぎ合う・出し合う）")
    topic: CodedName = Field(description="何の応援か")
    status: Literal["new", "accepted", "done", "declined"] = Field(
        description="new 受付待ち、accepted 対応中、done 完了、declined お断り"
    )
    status_label: str = Field(examples=["受付待ち"])
    area: CodedName
    council: SupportCouncil
    needed_by: dt.date | None
    opened_at: dt.datetime
    days_open: int = Field(description="依頼からの日数（終わったものは終わるまで）")
    is_overdue: bool = Field(description="期日を過ぎて終わっていない")
    url: str = Field(description="職員ページ")


class SupportRequestPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[SupportRequestOut]


class SupportStep(Schema):
    status: str
    label: str = Field(examples=["引き受けました"])
    at: dt.datetime
    by: str
    note: str


class SupportMessage(Schema):
    id: int
    side: Literal["council", "ward"] = Field(description="council 会議側、ward 区・社協・包括")
    author: str
    body: str
    at: dt.datetime


class SupportBooking(Schema):
    venue: str
    when: str
    purpose: str


class SupportRequestDetail(SupportRequestOut):
    detail: str
    meeting: str | None = Field(description="話し合った会議")
    need: str | None = Field(description="もとの困りごとの番号")
    opened_by: str | None
    accepted_by: str | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    decline_reason: str
    steps: list[SupportStep] = Field(description="経過")
    messages: list[SupportMessage]
    bookings: list[SupportBooking]
    sides: list[Literal["council", "ward"]] = Field(description="このトークンの持ち主の立場")
    next: list[Literal["accepted", "done", "declined"]] = Field(
        description="この持ち主がいま進められる状態（区・社協・包括の側）"
    )


class SupportRequestFilters(staff.Paging):
    status: Literal["open", "all", "new", "accepted", "done", "declined"] = Field(
        "open", description="open は終わっていないもの（一覧ページと同じ）、all はすべて"
    )
    kind: Kind | None = Field(None, description="応援の種類")
    age: int | None = Field(None, description="依頼からこの日数以上（7, 30, 90 のどれか）")
    area: str | None = Field(None, pattern=CODE, description="この地域とその下（コード）")
    year: int | None = Field(None, description="年度")
    in_year: Literal["asked", "open"] | None = Field(
        None, description="asked 年度中に受けた依頼、open 年度末に終わっていなかった依頼"
    )


class SupportRequestIn(staff.Body):
    council: Int = Field(..., examples=[3], description="依頼する会議の id（自分の地域の会議）")
    topic: Topic = Field(..., examples=["hands"], description="何の応援か")
    title: str = Field(..., examples=["10月の交流会で受付を手伝ってほしい"])
    detail: str = Field("", examples=["10月12日（日）10時から、高島平地域センターで2人ほど。"])
    needed_by: Day | None = Field(None, examples=["2026-10-05"])
    meeting: Int | None = Field(None, examples=[None], description="話し合った会議の回の id")
    need: Int | None = Field(None, examples=[None], description="もとの困りごとの id")


class SupportStepIn(staff.Body):
    to: Literal["accepted", "done", "declined"] = Field(
        ..., examples=["accepted"], description="accepted 引き受ける、done 完了、declined お断り"
    )
    note: str = Field("", examples=["社協の担当から2人伺います。"],
                      description="結果のメモ（お断りのときは理由、必須）")  # fmt: skip


class SupportMessageIn(staff.Body):
    body: str = Field(..., examples=["当日の集合時刻を教えてください。"])


def _request(request: HttpRequest, r: SupportRequest) -> dict[str, Any]:
    return {
        "id": r.pk, "number": r.number, "title": r.title,
        "kind": {"code": r.kind, "name": r.get_kind_display()},
        "topic": {"code": r.topic, "name": r.get_topic_display()},
        "status": r.status, "status_label": r.get_status_display(),
        "area": {"code": r.area.code, "name": r.area.name},
        "council": {"id": r.council_id, "name": r.council.name},
        "needed_by": r.needed_by, "opened_at": timezone.localtime(r.opened_at),
        "days_open": r.days_open(), "is_overdue": r.is_overdue(),
        "url": request.build_absolute_uri(r.get_absolute_url()),
    }  # fmt: skip


def _when(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _step(e: RequestEvent) -> dict[str, Any]:
    return {"status": e.status, "label": e.step_label, "at": _when(e.at), "by": e.by_name,
            "note": e.note}  # fmt: skip


def _message(m: RequestMessage) -> dict[str, Any]:
    return {"id": m.pk, "side": m.side, "author": m.author_name, "body": m.body,
            "at": _when(m.at)}  # fmt: skip


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The request as its page shows it to the caller."""
    r = lookups.support_request(request, pk)
    mine = lookups.sides(request.user, r.area)
    meeting, need = r.meeting, r.need
    return {
        **_request(request, r), "detail": r.detail,
        "meeting": str(meeting) if meeting else None, "need": need.number if need else None,
        "opened_by": str(r.opened_by) if r.opened_by else None,
        "accepted_by": str(r.accepted_by) if r.accepted_by else None,
        "accepted_at": _when(r.accepted_at), "closed_at": _when(r.closed_at),
        "decline_reason": r.decline_reason,
        "steps": [_step(e) for e in r.events.all()],
        "messages": [_message(m) for m in r.messages.all()],
        "bookings": [{"venue": b.venue.name, "when": b.when, "purpose": b.purpose}
                     for b in r.bookings.select_related("venue")],
        "sides": sorted(mine),
        "next": [to for to, sources in STEPS.items() if WARD in mine and r.status in sources],
    }  # fmt: skip


@router.get(
    "/support-requests/",
    response={200: SupportRequestPage, 422: Problem},
    url_name="staff_support_requests",
    summary="応援の依頼の一覧",
)
def request_list(request: HttpRequest, filters: Query[SupportRequestFilters]) -> dict[str, Any]:
    """The requests of the areas the caller sees, open ones first (the longest waiting on
    top), with the list page's filters; by default those not yet finished, as on the page."""
    staff.need(request, Scope.SUPPORT_READ)
    known_only(request, filters)
    staff.door(request, VIEW)
    data = {"status": "" if filters.status == "all" else filters.status,
            "kind": filters.kind or "", "age": filters.age or "", "area": filters.area or "",
            "year": filters.year or "", "in_year": filters.in_year or ""}  # fmt: skip
    form = FilterForm(data, areas=access.areas(request.user, VIEW))
    form.fields["area"].to_field_name = "code"  # type: ignore[attr-defined]
    if not form.is_valid():
        raise form_invalid(form, "query")
    found, chosen = lookups.requests(request), form.cleaned_data
    if chosen["status"]:
        open_only = chosen["status"] == "open"
        found = found.open() if open_only else found.filter(status=chosen["status"])
    if chosen["kind"]:
        found = found.filter(kind=chosen["kind"])
    today = timezone.localdate()
    if chosen["age"]:
        found = found.opened_before(today - dt.timedelta(days=chosen["age"]))
    if chosen["area"]:
        found = found.filter(under(chosen["area"].path, "area__path"))
    if chosen["year"] is not None:
        reading = IN_YEAR[chosen["in_year"] or "asked"]
        found = found.filter(reading(Years((), (chosen["year"],), today), chosen["year"]))
    page = staff.page(found.oldest_open_first(), filters)
    page["items"] = [_request(request, r) for r in page["items"]]
    return page


@router.get(
    "/support-requests/{request_id}/",
    response={200: SupportRequestDetail, 404: Problem, 422: Problem},
    url_name="staff_support_request",
    summary="応援の依頼ひとつ（経過とメッセージつき）",
)
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """One request the caller may see, with its steps, conversation and bookings; `sides`
    and `next` say what the caller may do with it."""
    staff.gate(request, Scope.SUPPORT_READ, VIEW)
    return _detail(request, request_id)


@router.post(
    "/support-requests/",
    response={201: SupportRequestDetail, 422: Problem},
    url_name="staff_support_request_create",
    summary="応援を依頼する",
)
def request_create(request: HttpRequest, payload: SupportRequestIn) -> Status[dict[str, Any]]:
    """A new request from a council the caller asks for (the region's SC or a council
    member: 403 for anyone else); the ward side is told."""
    staff.gate(request, Scope.SUPPORT_WRITE, VIEW)
    councils = lookups.require_council_side(request)
    since = timezone.localdate() - MEETINGS_SINCE
    meetings = Meeting.objects.filter(council__in=councils, date__gte=since)
    areas = under([c.area.path for c in councils], "area__path")
    needs = access.scope(request.user, Need.objects.filter(areas).open())
    form = RequestForm(payload.model_dump(), councils=councils, meetings=meetings, needs=needs)
    if not form.is_valid():
        raise form_invalid(form)
    created = services.open_request(form.save(commit=False), by=request.user)
    return Status(201, _detail(request, created.pk))


@router.post(
    "/support-requests/{request_id}/status/",
    response={200: SupportRequestDetail, 404: Problem, 422: Problem},
    url_name="staff_support_request_step",
    summary="依頼を引き受ける・完了にする・お断りする",
)
def request_step(request: HttpRequest, request_id: int, payload: SupportStepIn) -> dict[str, Any]:
    """The ward side's answer (EDIT on the area above the request's): accept a new request,
    finish an accepted one, or decline either with a reason. The council is told."""
    staff.gate(request, Scope.SUPPORT_WRITE, EDIT)
    found = lookups.support_request(request, request_id, WARD)
    form = StepForm({"note": payload.note}, to=payload.to)
    if not form.is_valid():
        raise form_invalid(form)
    with staff.ruled():
        services.step(found, payload.to, by=request.user, note=form.cleaned_data["note"])
    return _detail(request, found.pk)


@router.post(
    "/support-requests/{request_id}/messages/",
    response={201: SupportMessage, 404: Problem, 422: Problem},
    url_name="staff_support_request_message",
    summary="依頼にメッセージを書く",
)
def request_message(
    request: HttpRequest, request_id: int, payload: SupportMessageIn
) -> Status[dict[str, Any]]:
    """A message on the request's conversation, from the council side or the ward side
    (403 for those who only see it); the other side is told."""
    staff.gate(request, Scope.SUPPORT_WRITE, VIEW)
    found = lookups.support_request(request, request_id, "either")
    form = MessageForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    side = Side.COUNCIL if lookups.is_council_side(request.user, found.area) else Side.WARD
    message = services.post_message(found, form.cleaned_data["body"], by=request.user, side=side)
    return Status(201, _message(message))
