"""The staff API's 支え合い会議・会議: councils (read), their meetings (read, create), a
meeting's agenda items (add), its minutes (read, write the draft, approve, correct) and its
action items (add, change their status). See staff.py for tokens, scopes and paging.

Each operation is the twin of a staff page of councils/ (staff_views.py, meeting_views.py,
minutes_views.py): the same gate (`staff.gate`, as `access.require`), the same lookups, the same
forms for validation and the same services for writes, so a token shows and changes what its
holder sees and changes there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as FormError
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import Field

from sasaeai.accounts import access
from sasaeai.councils import lookups, services
from sasaeai.councils.forms import (
    ActionForm,
    AgendaItemForm,
    ApproveForm,
    CorrectForm,
    MeetingForm,
    MinutesForm,
)
from sasaeai.councils.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    ApprovedAs,
    Council,
    Initiative,
    Meeting,
    MeetingQuerySet,
    Minutes,
)
from sasaeai.lib.fiscal import year_bounds
from sasaeai.lib.paths import under

from . import staff
from .models import Scope
from .problems import Problem
from .staff import CODE, MAX_ID, Clock, Day, Id, Key, conflict, form_invalid, known_only

router = staff.router("支え合い会議・会議（職員）")
VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH
# ---- answers ---------------------------------------------------------------------------


class AreaOut(Schema):
    code: str
    name: str


class CouncilRef(Schema):
    id: int
    name: str
    area: AreaOut


class CouncilBrief(CouncilRef):
    frequency: str
    venue: str
    hours: str
    last_meeting_on: dt.date | None = Field(description="最後に開いた会議の日")
    meetings_this_year: int = Field(description="今年度に開いた会議の数")
    open_actions: int = Field(description="未完了のやること")
    overdue_actions: int = Field(description="期限を過ぎたやること")
    can_edit: bool


class CouncilPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[CouncilBrief]


class SCOut(Schema):
    count: int
    body: str
    since: dt.date | None


class MemberOut(Schema):
    id: int
    name: str
    is_body: bool
    sector: str
    role: str
    joined_on: dt.date | None
    left_on: dt.date | None


class MeetingBrief(Schema):
    id: int
    council: CouncilRef
    number: int
    title: str = Field(examples=["第61回"])
    date: dt.date
    starts_at: dt.time | None
    ends_at: dt.time | None
    venue: str
    summary_published: bool
    minutes_status: str | None = Field(description="最新の版の議事録の状態（なければ null）")


class MeetingPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[MeetingBrief]


class CouncilOut(CouncilRef):
    started_on: dt.date | None
    frequency: str
    venue: str
    hours: str
    vision: str
    next_number: int = Field(description="次に作る会議の回")
    scs: list[SCOut]
    members: list[MemberOut] = Field(description="今のメンバー")
    upcoming: list[MeetingBrief]
    recent: list[MeetingBrief]
    open_actions: int
    can_edit: bool


class ActivityRef(Schema):
    id: int
    name: str


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    initiatives: list[str]
    activities: list[ActivityRef]
    public: bool


class AttendanceOut(Schema):
    total: int
    members: list[str] = Field(description="出席したメンバーの名前")
    guests: dict[str, int] = Field(description="分野ごとのゲストの人数")


class ActionOut(Schema):
    id: int
    meeting_id: int
    what: str
    who: str
    due_on: dt.date | None
    status: str
    closed_on: dt.date | None
    agenda_item_id: int | None
    activities: list[ActivityRef]
    is_overdue: bool


class MinutesRef(Schema):
    id: int
    revision: int
    status: str
    version: int = Field(description="保存の回数: 書くときにこの値を送る")


class MeetingOut(MeetingBrief):
    agenda: list[AgendaOut]
    attendance: AttendanceOut | None
    minutes: MinutesRef | None = Field(description="最新の版")
    revisions: list[MinutesRef]
    actions: list[ActionOut]
    carried_actions: list[ActionOut] = Field(description="前の会議から持ち越したやること")
    can_edit: bool
    can_publish: bool


class MinutesItemOut(Schema):
    agenda_item_id: int
    title: str
    discussion: str


class DecisionOut(Schema):
    id: int
    agenda_item_id: int | None
    text: str
    public: bool


class MinutesOut(MinutesRef):
    meeting_id: int
    notes: str
    correction_reason: str
    approved_as: str
    approved_at: dt.datetime | None
    items: list[MinutesItemOut]
    decisions: list[DecisionOut]


# ---- what each answer holds -----------------------------------------------------------


def _area(area: Any) -> dict[str, str]:
    return {"code": area.code, "name": area.name}


def _council_ref(council: Council) -> dict[str, Any]:
    return {"id": council.pk, "name": council.name, "area": _area(council.area)}


def _with_minutes_status(meetings: MeetingQuerySet) -> MeetingQuerySet:
    newest = Minutes.objects.filter(meeting=OuterRef("pk")).order_by("-revision")
    return meetings.select_related("council__area").annotate(
        minutes_status=Subquery(newest.values("status")[:1])
    )


def _meeting_brief(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "council": _council_ref(meeting.council),
        "number": meeting.number,
        "title": meeting.title,
        "date": meeting.date,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "venue": meeting.venue,
        "summary_published": meeting.summary_published,
        "minutes_status": getattr(meeting, "minutes_status", None),
    }


def _activities(item: Any) -> list[dict[str, Any]]:
    return [{"id": a.pk, "name": a.name} for a in item.activities.all()]


def _action(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "meeting_id": action.meeting_id,
        "what": action.what,
        "who": action.who,
        "due_on": action.due_on,
        "status": action.status,
        "closed_on": action.closed_on,
        "agenda_item_id": action.agenda_item_id,
        "activities": _activities(action),
        "is_overdue": action.is_overdue,
    }


def _agenda(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "order": item.order,
        "title": item.title,
        "initiatives": item.initiative_codes,
        "activities": _activities(item),
        "public": item.public,
    }


def _minutes_ref(minutes: Minutes) -> dict[str, Any]:
    return {
        "id": minutes.pk,
        "revision": minutes.revision,
        "status": minutes.status,
        "version": minutes.version,
    }


def _minutes(minutes: Minutes) -> dict[str, Any]:
    return {
        **_minutes_ref(minutes),
        "meeting_id": minutes.meeting_id,
        "notes": minutes.notes,
        "correction_reason": minutes.correction_reason,
        "approved_as": minutes.approved_as,
        "approved_at": minutes.approved_at,
        "items": [
            {
                "agenda_item_id": i.agenda_item_id,
                "title": i.agenda_item.title,
                "discussion": i.discussion,
            }
            for i in minutes.items.select_related("agenda_item")
        ],
        "decisions": [
            {"id": d.pk, "agenda_item_id": d.agenda_item_id, "text": d.text, "public": d.public}
            for d in minutes.decisions.all()
        ],
    }


def _meeting(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows (document.meeting_document)."""
    revisions = list(meeting.minutes.order_by("revision"))
    attendance = getattr(meeting, "attendance", None)
    actions = meeting.actions.prefetch_related("activities")
    carried = ActionItem.objects.carried_to(meeting).prefetch_related("activities")
    return {
        **_meeting_brief(meeting),
        "minutes_status": revisions[-1].status if revisions else None,
        "agenda": [_agenda(item) for item in meeting.agenda.prefetch_related("activities")],
        "attendance": None
        if attendance is None
        else {
            "total": attendance.total,
            "members": [m.name for m in attendance.members.all()],
            "guests": {k: int(n) for k, n in attendance.guests.items()},
        },
        "minutes": _minutes_ref(revisions[-1]) if revisions else None,
        "revisions": [_minutes_ref(m) for m in revisions],
        "actions": [_action(a) for a in actions],
        "carried_actions": [_action(a) for a in carried],
        "can_edit": lookups.can_edit(request, meeting),
        "can_publish": access.can(request.user, PUBLISH, meeting.council.area),
    }


# ---- councils ---------------------------------------------------------------------------


@router.get(
    "/councils/",
    response={200: CouncilPage, 422: Problem},
    summary="支え合い会議の一覧",
    url_name="staff_councils",
)
def council_list(request: HttpRequest, paging: Query[staff.Paging]) -> dict[str, Any]:
    """The councils this person sees, with the overview of the staff list (last meeting,
    meetings this 年度, open and overdue actions)."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    known_only(request, paging)
    councils = lookups.councils(request).with_overview(timezone.localdate())
    found = staff.page(councils.order_by("area__sort_order", "area__path", "pk"), paging)
    found["items"] = [
        {
            **_council_ref(c),
            "frequency": c.frequency,
            "venue": c.venue,
            "hours": c.hours,
            "last_meeting_on": c.last_meeting_on,
            "meetings_this_year": c.meetings_this_year,
            "open_actions": c.open_actions,
            "overdue_actions": c.overdue_actions,
            "can_edit": lookups.can_edit(request, c),
        }
        for c in found["items"]
    ]
    return found


@router.get(
    "/councils/{pk}/",
    response={200: CouncilOut, 404: Problem, 422: Problem},
    summary="支え合い会議ひとつ",
    url_name="staff_council",
)
def council_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """A council's profile, its coordinators, current members, next and recent meetings."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    council = lookups.council(request, pk)
    today = timezone.localdate()
    meetings = _with_minutes_status(council.meetings.all())
    return {
        **_council_ref(council),
        "started_on": council.started_on,
        "frequency": council.frequency,
        "venue": council.venue,
        "hours": council.hours,
        "vision": council.vision,
        "next_number": services.next_number(council),
        "scs": [{"count": s.count, "body": s.body, "since": s.since} for s in council.scs.all()],
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "is_body": m.is_body,
                "sector": m.sector,
                "role": m.role,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in council.members.current(today)
        ],
        "upcoming": [_meeting_brief(m) for m in meetings.upcoming(today).order_by("date")[:3]],
        "recent": [_meeting_brief(m) for m in meetings.held(today)[:5]],
        "open_actions": ActionItem.objects.filter(meeting__council=council).open().count(),
        "can_edit": lookups.can_edit(request, council),
    }


# ---- meetings ---------------------------------------------------------------------------


class MeetingFilters(staff.Paging):
    area: str | None = Field(
        None, pattern=CODE, description="この地域（と、その下）の会議だけ（地域コード）"
    )
    year: int | None = Field(None, ge=2000, le=2100, description="この年度の会議だけ")


@router.get(
    "/meetings/",
    response={200: MeetingPage, 422: Problem},
    summary="会議の一覧（会議をまたいで）",
    url_name="staff_meetings",
)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> dict[str, Any]:
    """The meetings of every council this person sees, newest first; by area and 年度."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    known_only(request, filters)
    meetings = access.scope(request.user, Meeting.objects.all(), VIEW, "council__area")
    if filters.area is not None:
        area = access.areas(request.user, VIEW).filter(code=filters.area).first()
        if area is None:
            where = ("query", "area")
            raise ValidationError([{"loc": where, "msg": _("地域は一覧から選んでください。")}])
        meetings = meetings.filter(under(area.path, "council__area__path"))
    if filters.year is not None:
        meetings = meetings.filter(date__range=year_bounds(filters.year))
    rows = _with_minutes_status(meetings).order_by("-date", "council__area__path", "-number")
    found = staff.page(rows, filters)
    found["items"] = [_meeting_brief(m) for m in found["items"]]
    return found


@router.get(
    "/councils/{pk}/meetings/",
    response={200: MeetingPage, 404: Problem, 422: Problem},
    summary="ひとつの支え合い会議の会議の一覧",
    url_name="staff_council_meetings",
)
def council_meetings(request: HttpRequest, pk: Id, paging: Query[staff.Paging]) -> dict[str, Any]:
    """A council's meetings, newest first (as its meetings page)."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    known_only(request, paging)
    council = lookups.council(request, pk)
    found = staff.page(_with_minutes_status(council.meetings.order_by("-date", "-number")), paging)
    found["items"] = [_meeting_brief(m) for m in found["items"]]
    return found


@router.get(
    "/meetings/{pk}/",
    response={200: MeetingOut, 404: Problem, 422: Problem},
    summary="会議ひとつ",
    url_name="staff_meeting",
)
def meeting_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """A meeting as its page shows it: agenda, attendance, minutes' revisions, actions, and
    the actions carried over from earlier meetings."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    return _meeting(request, lookups.meeting(request, pk))


class MeetingIn(staff.Body):
    date: Day = Field(examples=["2026-05-21"])
    starts_at: Clock | None = Field(None, examples=["14:00"])
    ends_at: Clock | None = Field(None, examples=["16:00"])
    venue: str | None = Field(
        None,
        max_length=200,
        examples=["高島平地域センター 第1会議室"],
        description="省略すると支え合い会議の会場",
    )


@router.post(
    "/councils/{pk}/meetings/",
    response={201: MeetingOut, 404: Problem, 422: Problem},
    summary="会議を作る（番号は自動）",
    url_name="staff_meeting_new",
)
def meeting_new(request: HttpRequest, pk: Id, payload: MeetingIn) -> Status[dict[str, Any]]:
    """The council's next meeting (第N回, numbered without gaps), as 会議を作る."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    council = lookups.council(request, pk, EDIT)
    data = payload.dict()
    if data["venue"] is None:
        data["venue"] = council.venue  # the page offers the council's venue
    form = MeetingForm(data=data)
    if not form.is_valid():
        raise form_invalid(form)
    meeting = services.create_meeting(council, **form.cleaned_data)
    return Status(201, _meeting(request, lookups.meeting(request, meeting.pk)))


class AgendaIn(staff.Body):
    title: str = Field(max_length=200, examples=["見守り活動の報告"])
    initiatives: list[Initiative] = Field([], examples=[["tsunagaru"]], description="取組み")
    activities: list[Key] = Field([], description="関係する活動の id", examples=[[3]])


@router.post(
    "/meetings/{pk}/agenda/",
    response={201: AgendaOut, 404: Problem, 422: Problem},
    summary="議題を追加する",
    url_name="staff_agenda_new",
)
def agenda_new(request: HttpRequest, pk: Id, payload: AgendaIn) -> Status[dict[str, Any]]:
    """An agenda item at the end of the meeting's agenda, tagged by initiative and linked to
    activities of the council's area; the minutes are then written per item."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    meeting = lookups.meeting(request, pk, EDIT)
    data = {
        "title": payload.title,
        "initiative_codes": [i.value for i in payload.initiatives],
        "activities": [str(a) for a in payload.activities],
    }
    item = AgendaItem(meeting=meeting)
    activities = lookups.linkable_activities(request, meeting.council)
    form = AgendaItemForm(data=data, instance=item, activities=activities)
    if not form.is_valid():
        raise form_invalid(form)
    item.order = services.next_agenda_order(meeting)
    form.save()
    return Status(201, _agenda(item))


# ---- minutes ----------------------------------------------------------------------------


@router.get(
    "/minutes/{pk}/",
    response={200: MinutesOut, 404: Problem, 422: Problem},
    summary="議事録（版ひとつ）",
    url_name="staff_minutes",
)
def minutes_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """One revision of a meeting's minutes, readable after it was corrected."""
    staff.gate(request, Scope.COUNCILS_READ, VIEW)
    return _minutes(lookups.minutes(request, pk))


class MinutesItemIn(staff.Body):
    agenda_item: Key = Field(description="議題の id", examples=[12])
    discussion: str = Field("", examples=["見守りの当番表を回覧することにした。"])
    decisions: list[str] = Field([], examples=[["当番表を6月から回覧する"]])


class MinutesIn(staff.Body):
    version: int = Field(
        strict=True,
        ge=0,
        le=MAX_ID,
        examples=[1],
        description="読んだときの version（初めて書くときは 1）",
    )
    notes: str = Field("", examples=["地域包括支援センターから報告があった。"])
    items: list[MinutesItemIn] = Field(
        [], description="議題ごとの内容。送らなかった議題は空になる（全体を置き換える）"
    )
    general_decisions: list[str] = Field([], examples=[["次回は7月17日"]])


@router.put(
    "/meetings/{pk}/minutes/",
    response={200: MinutesOut, 404: Problem, 409: Problem, 422: Problem},
    summary="議事録（下書き）を書く",
    url_name="staff_minutes_edit",
)
def minutes_edit(request: HttpRequest, pk: Id, payload: MinutesIn) -> dict[str, Any]:
    """Write the whole draft of the newest revision, as 議事録を書く. `version` is the one read:
    if someone saved since, 409 (code `stale`) names the version saved now; an approved
    revision answers 409 (code `locked`): correct it first (/minutes/{id}/correct/)."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    meeting = lookups.meeting(request, pk, EDIT)
    minutes = meeting.minutes.order_by("-revision").first()
    if minutes is not None and minutes.is_locked:
        raise conflict("locked", str(services.LOCKED))
    agenda = list(meeting.agenda.all())
    known = {item.pk for item in agenda}
    data: dict[str, Any] = {
        "version": payload.version,
        "notes": payload.notes,
        "general_decisions": "\n".join(payload.general_decisions),
    }
    for number, item in enumerate(payload.items):
        if item.agenda_item not in known:
            where = ("body", "items", number, "agenda_item")
            raise ValidationError([{"loc": where, "msg": _("この会議の議題ではありません。")}])
        data[f"discussion_{item.agenda_item}"] = item.discussion
        data[f"decisions_{item.agenda_item}"] = "\n".join(item.decisions)
    form = MinutesForm(data=data, agenda=agenda)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        saved = services.save_minutes(
            minutes or services.current_minutes(meeting), form.cleaned_data["version"], form.text()
        )
    except services.StaleMinutes as stale:
        detail = _(
            "ほかの人が先に保存しました（今の version は %(v)s）。読み直してから書いてください。"
        )
        raise conflict("stale", detail % {"v": stale.current.version}) from None
    except FormError as error:
        raise conflict("locked", error.messages[0]) from None
    return _minutes(saved)


class ApproveIn(staff.Body):
    approved_as: ApprovedAs = Field(
        examples=["chair"], description="承認した人: chair（会長）か sc"
    )


@router.post(
    "/minutes/{pk}/approve/",
    response={200: MinutesOut, 404: Problem, 409: Problem, 422: Problem},
    summary="議事録を承認する",
    url_name="staff_minutes_approve",
)
def minutes_approve(request: HttpRequest, pk: Id, payload: ApproveIn) -> dict[str, Any]:
    """Approve a draft; it cannot be changed from then on (409 if it is not a draft)."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    minutes = lookups.minutes(request, pk, EDIT)
    form = ApproveForm(data={"approved_as": payload.approved_as.value})
    if not form.is_valid():  # the enum admits only its choices: kept as the page checks
        raise form_invalid(form)
    try:
        approved = services.approve_minutes(minutes, request.user, form.cleaned_data["approved_as"])
    except FormError as error:
        raise conflict("not_draft", error.messages[0]) from None
    return _minutes(lookups.minutes(request, approved.pk))


class CorrectIn(staff.Body):
    reason: str = Field(max_length=300, examples=["出席者の名前の誤りを直すため"])


@router.post(
    "/minutes/{pk}/correct/",
    response={201: MinutesOut, 404: Problem, 409: Problem, 422: Problem},
    summary="議事録の訂正版を作る",
    url_name="staff_minutes_correct",
)
def minutes_correct(request: HttpRequest, pk: Id, payload: CorrectIn) -> Status[dict[str, Any]]:
    """A new draft revision copied from an approved one, which stays readable."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    minutes = lookups.minutes(request, pk, EDIT)
    form = CorrectForm(data=payload.dict())
    if not form.is_valid():
        raise form_invalid(form)
    try:
        draft = services.correct_minutes(minutes, form.cleaned_data["reason"])
    except FormError as error:
        raise conflict("not_approved", error.messages[0]) from None
    return Status(201, _minutes(draft))


# ---- action items -------------------------------------------------------------------------


class ActionIn(staff.Body):
    what: str = Field(max_length=300, examples=["見守りの当番表を作る"])
    who: str = Field("", max_length=120, examples=["山田さん"])
    due_on: Day | None = Field(None, examples=["2026-06-30"])
    agenda_item: Key | None = Field(None, description="議題の id", examples=[12])
    activities: list[Key] = Field([], description="関係する活動の id", examples=[[3]])


@router.post(
    "/meetings/{pk}/actions/",
    response={201: ActionOut, 404: Problem, 422: Problem},
    summary="やることを追加する",
    url_name="staff_action_new",
)
def action_new(request: HttpRequest, pk: Id, payload: ActionIn) -> Status[dict[str, Any]]:
    """An action item agreed at the meeting: what, who, by when, for which agenda item."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    meeting = lookups.meeting(request, pk, EDIT)
    activities = lookups.linkable_activities(request, meeting.council)
    data = {**payload.dict(), "activities": [str(a) for a in payload.activities]}
    form = ActionForm(
        data=data, instance=ActionItem(meeting=meeting), meeting=meeting, activities=activities
    )
    if not form.is_valid():
        raise form_invalid(form)
    action = form.save()
    return Status(201, _action(action))


class ActionStatusIn(staff.Body):
    status: ActionStatus = Field(examples=["done"], description="open / done / dropped")


@router.post(
    "/actions/{pk}/status/",
    response={200: ActionOut, 404: Problem, 422: Problem},
    summary="やることの状態を変える",
    url_name="staff_action_status",
)
def action_status(request: HttpRequest, pk: Id, payload: ActionStatusIn) -> dict[str, Any]:
    """Open, done or dropped; closing records today, which ends the carry-over."""
    staff.gate(request, Scope.COUNCILS_WRITE, EDIT)
    action = lookups.action(request, pk, EDIT)
    services.set_action_status(action, payload.status.value)
    return _action(action)
