"""The staff API's 活動・場所・日程: see staff.py for tokens, scopes and paging.

What the staff pages of the directory do (directory/staff_views.py), as a script would: the
list with the page's filters, one activity with its places and schedules, a new activity,
changes to one, its status and a confirmation that it still runs; and its places and
schedules one at a time, which the page edits together in its two formsets.

Each operation is the page's: the same door (access.require: VIEW to read, EDIT to change),
the same records (access.scope / access.get_object, with PUBLISH to publish), the same forms
for checking (ActivityForm, PlaceForm, ScheduleForm, StaffFilterForm) and the same services
for writing (services.save_activity, change_status, confirm_running), so that the search
index, the places' copies and the audit log follow as they do there. A refused write writes
nothing: every check comes before the first write, and save_activity is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Status

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
from sasaeai.directory import services
from sasaeai.directory.forms import ActivityForm, PlaceForm, ScheduleForm
from sasaeai.directory.list_filters import StaffFilterForm, narrow
from sasaeai.directory.models import (
    Activity,
    ActivityQuerySet,
    Facet,
    Kind,
    Place,
    Schedule,
    Visibility,
)
from sasaeai.directory.models import Status as State
from sasaeai.directory.search import match_estimate, match_q, query_tokens, scan_q
from sasaeai.directory.search_plan import COMMON_WORDS_POSTGRES
from sasaeai.directory.search_query import STATISTICS_SECONDS
from sasaeai.lib import memo, optimistic

from . import staff
from . import staff_directory_schemas as schemas
from .models import Scope
from .problems import Problem
from .staff import Id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

router = staff.router("活動・場所・日程（職員）")

EDIT, VIEW, PUBLISH = Capability.EDIT, Capability.VIEW, Capability.PUBLISH
READ, WRITE = Scope.DIRECTORY_READ, Scope.DIRECTORY_WRITE
# The activity's own fields that the page's form has, besides those named by code.
OWN = [name for name in ActivityForm.Meta.fields if name not in ("area", "photo")]
PLACE_FIELDS = list(PlaceForm.Meta.fields)
SCHEDULE_FIELDS = list(ScheduleForm.Meta.fields)
# How long a list's count is remembered at most (see _count).
COUNT_SECONDS = 60.0
# How many the page's formsets hold (directory/forms.py: PlaceFormSet, ScheduleFormSet).
MOST_PLACES, MOST_SCHEDULES = 3, 5

ONE = {200: schemas.ActivityDetail, 404: Problem, 422: Problem}
PLACE = {200: schemas.ActivityPlace, 404: Problem, 422: Problem}
SCHEDULE = {200: schemas.ActivitySchedule, 404: Problem, 422: Problem}


# --- Helpers -------------------------------------------------------------------------------


def _activity(request: HttpRequest, pk: int, capability: str, *, shown: bool = False) -> Activity:
    """The activity, as the page fetches it (404 unseen, 403 seen but not `capability`); with
    its kinds, places and schedules loaded when it is to be `shown` (never for a write, whose
    services read the parts afresh)."""
    activities = Activity.objects.select_related("area", "municipality", "organization")
    if shown:
        activities = activities.prefetch_related(_kinds(), "places", "schedules")
    return access.get_object(request, activities, capability, pk=pk)


def _kinds() -> Prefetch:
    return Prefetch("kinds", queryset=Kind.objects.order_by("facet", "sort_order", "id"))


def _invalid(errors: dict[str, list[str]], *where: str) -> None:
    """A 422 problem naming each field the page's form would mark, with its message."""
    if errors:
        raise staff.invalid(errors, *where)


def _form_errors(form: BaseForm) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _area_pk(request: HttpRequest, areas: QuerySet[Area], code: Any) -> Any:
    """The id of the area coded `code` among `areas` (of the host's municipality first);
    else `code` itself, which the form then refuses as no choice of its own."""
    found = list(areas.filter(code=str(code)).values_list("pk", "municipality_id"))
    here = getattr(request, "municipality", None)
    for pk, municipality in found:
        if here is None or (municipality or pk) == here.pk:
            return pk
    return found[0][0] if found else code


def _kind_pks(kinds: QuerySet[Kind], codes: Iterable[str]) -> list[Any]:
    """The ids of the kinds coded `codes`; an unknown code stays, for the form to refuse."""
    codes = list(codes)
    known = dict(kinds.filter(code__in=codes).values_list("code", "pk"))
    return [known.get(code, code) for code in codes]


def _rows(parts: Iterable[Place | Schedule], fields: list[str]) -> list[dict[str, Any]]:
    """An activity's places (or schedules) as the page's formset hands them to the service."""
    return [{name: getattr(part, name) for name in fields} for part in parts]


def _parts(activity: Activity, **given: Any) -> services.ActivityParts:
    """What the activity consists of now, with `given` (places or schedules) in its stead."""
    organization = activity.organization.name if activity.organization else ""
    return services.ActivityParts(
        kinds=list(activity.kinds.all()),
        organization_name=organization,
        places=given.get("places", _rows(activity.places.all(), PLACE_FIELDS)),
        schedules=given.get("schedules", _rows(activity.schedules.all(), SCHEDULE_FIELDS)),
    )


def _shown(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The activity as saved, read afresh (after a write)."""
    return _full(request, _activity(request, pk, VIEW, shown=True))


def _brief(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "name": activity.name,
        "kana": activity.kana,
        "area": activity.area.code,
        "area_name": activity.area.name,
        "status": activity.status,
        "status_label": activity.get_status_display(),
        "visibility": activity.visibility,
        "kinds": [{"code": kind.code, "name": kind.name} for kind in activity.kinds.all()],
        "last_confirmed": activity.last_confirmed,
        "updated_at": activity.updated_at,
    }


def _full(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    kinds = list(activity.kinds.all())
    can_edit = access.can(request.user, EDIT, activity.area)
    may_publish = access.can(request.user, PUBLISH, activity.area)
    transitions = [
        {"to": to, "label": str(label)}
        for to, label in activity.allowed_transitions()
        if can_edit and (to != State.PUBLISHED or may_publish)
    ]
    return {
        **_brief(activity),
        **{name: getattr(activity, name) for name in OWN},
        "municipality": activity.municipality.code,
        "organization_name": activity.organization.name if activity.organization else "",
        "activity_kinds": [kind.code for kind in kinds if kind.facet == Facet.ACTIVITY],
        "organiser_kinds": [kind.code for kind in kinds if kind.facet == Facet.ORGANISER],
        "photo_url": activity.photo_url,
        "created_at": activity.created_at,
        "can_edit": can_edit,
        "transitions": transitions,
        "places": [_place(place) for place in activity.places.all()],
        "schedules": [_schedule(schedule) for schedule in activity.schedules.all()],
    }


def _hours(time: dt.time | None) -> str | None:
    return None if time is None else f"{time:%H:%M}"


def _place(place: Place) -> dict[str, Any]:
    return {"id": place.pk, **{name: getattr(place, name) for name in PLACE_FIELDS}}


def _schedule(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.pk,
        **{name: getattr(schedule, name) for name in SCHEDULE_FIELDS},
        "weekdays": schedule.weekday_list(),
        "opens_at": _hours(schedule.opens_at),
        "closes_at": _hours(schedule.closes_at),
        "in_words": schedule.in_words(),
    }


# --- Activities ----------------------------------------------------------------------------


@router.get(
    "/activities/",
    response={200: schemas.ActivityPage, 422: Problem},
    summary="活動の一覧（職員の一覧と同じ絞り込み）",
    url_name="staff_activities",
)
def activities(request: HttpRequest, filters: Query[schemas.ActivityFilters]) -> dict[str, Any]:
    """The activities the token's holder sees on the staff list, narrowed as its form
    narrows them (words, area, status, kind, 通いの場, 年度), in its order (by reading)."""
    staff.gate(request, READ, VIEW)
    municipalities = access.municipality_ids(request.user, VIEW)
    kinds = Kind.objects.filter(municipality_id__in=municipalities, facet=Facet.ACTIVITY)
    areas = access.areas(request.user, VIEW)
    data = {
        "q": filters.q or "",
        "area": "" if filters.area is None else _area_pk(request, areas, filters.area),
        "status": filters.status or "",
        "kind": "" if filters.kind is None else (_kind_pks(kinds, [filters.kind])[0]),
        "kayoi": "1" if filters.kayoi else "",
        "year": "" if filters.year is None else str(filters.year),
        "in_year": filters.in_year or "",
    }
    form = StaffFilterForm(data, areas=areas, kinds=kinds)
    errors = _form_errors(form)
    if filters.visibility is not None and filters.visibility not in Visibility.values:
        errors["visibility"] = [_("公開範囲は public か staff にしてください。")]
    _invalid(errors, "query")
    # The holder's municipalities named too (every activity is of its area's municipality):
    # a region's list then walks the same index of a municipality's list in order.
    visible: ActivityQuerySet = access.scope(request.user, Activity.objects.all(), VIEW)
    visible = visible.filter(municipality_id__in=municipalities)
    found = narrow(visible, {**form.cleaned_data, "q": ""}, municipalities)
    if filters.visibility is not None:
        found = found.filter(visibility=filters.visibility)
    if filters.needs_confirming:
        found = found.needs_confirming()
    # The words last, as the page's narrow() puts them (their SQL names the table itself).
    latest, counted = _latest(municipalities), found
    if form.cleaned_data["q"] and (words := _words(form.cleaned_data["q"], municipalities, latest)):
        found, counted = found.filter(words[0]), found.filter(words[1])
    found = found.order_by("kana", "name", "id")
    answer = staff.page(found.values_list(*BRIEF.values()), filters, _count(counted, latest))
    answer["items"] = _briefs(answer["items"])
    return answer


# A list row's fields (ActivityBrief's, but its kinds and label) and the columns they are read from.
BRIEF = {"id": "id", "name": "name", "kana": "kana", "area": "area__code",
         "area_name": "area__name", "status": "status", "visibility": "visibility",
         "last_confirmed": "last_confirmed", "updated_at": "updated_at"}  # fmt: skip


def _briefs(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A list page's rows (BRIEF's columns) as _brief gives an activity, their kinds read in
    one query: plain values, because making the 50 activities, their areas and kinds as
    models, and each status label anew, cost the list most of its time."""
    items = [dict(zip(BRIEF, row, strict=True)) for row in rows]
    kinds: dict[int, list[dict[str, str]]] = {item["id"]: [] for item in items}
    if kinds:
        links = Activity.kinds.through.objects.filter(activity_id__in=kinds)
        links = links.order_by("kind__facet", "kind__sort_order", "kind_id")  # as _kinds()
        for activity_id, code, name in links.values_list("activity_id", "kind__code", "kind__name"):
            kinds[activity_id].append({"code": code, "name": name})
    labels = {value: str(label) for value, label in State.choices}
    for item in items:
        item["status_label"] = labels.get(item["status"], item["status"])
        item["kinds"] = kinds[item["id"]]
    return items


def _latest(municipalities: list[int]) -> Any:
    """The latest change to an activity of the municipalities (one step down an index): what
    is remembered of their lists holds while it stays the same."""
    mine = Activity.objects.filter(municipality_id__in=municipalities)
    return mine.aggregate(latest=Max("updated_at"))["latest"]


def _words(query: str, municipalities: list[int], latest: Any) -> tuple[Q, Q] | None:
    """Activities holding the words, read as the staff page's filter reads them
    (list_filters: `query_tokens` of each municipality, its reading and synonyms), as a
    filter for the page and one for counting; None for words without a token.

    For the page, the way is chosen as the public search chooses it (search_plan): words
    that the word index counts in COMMON_WORDS_POSTGRES activities or more (on SQLite, of
    every tenant) are tested on each row met along the list's order (`scan_q`), which stops
    at the page; rarer ones come from the word index (`match_q`) and are sorted. From the
    word index, the ward's first page of 体操 among 100,000 cost 18 ms on PostgreSQL (the
    index's own test on each row met, its lexemes rebuilt per row) and 37 ms and more on
    SQLite (every match collected first); along the order, 1 ms. Counting reads every match:
    always from the word index. The results are the same either way."""
    codes = dict(Area.objects.filter(pk__in=municipalities).values_list("pk", "code"))
    towns: dict[tuple[str, ...], list[int]] = {}  # the municipalities that read them alike
    for municipality in municipalities:
        if tokens := tuple(query_tokens(query, codes.get(municipality, ""))):
            towns.setdefault(tokens, []).append(municipality)
    if not towns:
        return None
    page = (_holding(list(tokens), ids, latest) for tokens, ids in towns.items())
    every = (match_q(list(tokens), ids) for tokens, ids in towns.items())
    return reduce(or_, page), reduce(or_, every)


def _holding(tokens: list[str], municipalities: list[int], latest: Any) -> Q:
    if all(_matches(town, tokens, latest) >= COMMON_WORDS_POSTGRES for town in municipalities):
        return Q(municipality_id__in=municipalities) & scan_q(tokens)
    return match_q(tokens, municipalities)


def _matches(municipality: int, tokens: list[str], latest: Any) -> int:
    """How many of the municipality's activities hold the tokens, as the word index counts
    them up to COMMON_WORDS_POSTGRES: remembered as the count is (`_count`), while no activity
    of theirs has changed, STATISTICS_SECONDS at most (it only chooses the way)."""
    key = (
        "staff-word-estimate",
        connection.alias,
        municipality,
        tuple(tokens),
        COMMON_WORDS_POSTGRES,
    )
    remembered: dict[str, tuple[Any, int]] = memo.remember(key, dict, STATISTICS_SECONDS)
    known = remembered.get("matches")
    if known is not None and known[0] == latest:
        return known[1]
    found = match_estimate(municipality, tokens, COMMON_WORDS_POSTGRES)
    remembered["matches"] = (latest, found)
    return found


def _count(found: ActivityQuerySet, latest: Any) -> int:
    """How many activities `found` holds: remembered per query (its SQL, the holder's scope
    and filters in it) while no activity of the municipalities has changed since (their
    latest `updated_at`, one step down an index), COUNT_SECONDS at most (a deleted activity
    changes no `updated_at`). Counting the ward's 100,000, or a common word among them, at
    every page cost 20 to 100 ms on PostgreSQL."""
    counting = found.order_by()
    sql, params = counting.query.sql_with_params()
    key = ("staff-activity-count", connection.alias, sql, repr(params))
    remembered: dict[str, tuple[Any, int]] = memo.remember(key, dict, COUNT_SECONDS)
    known = remembered.get("count")  # (the latest change, the count then), taken once
    if known is not None and known[0] == latest:
        return known[1]
    total = counting.count()
    remembered["count"] = (latest, total)
    return total


@router.get(
    "/activities/{activity_id}/",
    response=ONE,
    summary="活動ひとつ（場所・日程つき）",
    url_name="staff_activity",
)
def activity(request: HttpRequest, activity_id: Id) -> dict[str, Any]:
    """An activity as its staff page shows it: its fields, kinds, places and schedules, and
    what its reader may do with it (`can_edit`, `transitions`)."""
    staff.gate(request, READ, VIEW)
    return _full(request, _activity(request, activity_id, VIEW, shown=True))


def _activity_form(request: HttpRequest, activity: Activity, given: dict[str, Any]) -> ActivityForm:
    """The page's form, bound to the activity's values with `given` over them."""
    areas = access.areas(request.user, EDIT)
    if activity.pk:
        municipality = activity.municipality
    else:  # as the page: the first area the person may edit in
        first = areas[0]
        municipality = first.municipality or first
    data: dict[str, Any] = model_to_dict(activity, fields=OWN)
    data["area"] = activity.area_id if activity.pk else None
    chosen = list(activity.kinds.all()) if activity.pk else []
    for name, facet in (("activity_kinds", Facet.ACTIVITY), ("organiser_kinds", Facet.ORGANISER)):
        data[name] = [kind.pk for kind in chosen if kind.facet == facet]
    organization = activity.organization if activity.pk else None
    data["organization_name"] = organization.name if organization else ""
    kinds = Kind.objects.of(municipality)
    for name, value in given.items():
        if name == "area" and value is not None:
            value = _area_pk(request, areas, value)
        elif name in ("activity_kinds", "organiser_kinds"):
            value = _kind_pks(kinds, value or [])
        data[name] = value
    return ActivityForm(data, None, instance=activity, areas=areas, municipality=municipality)


@router.post(
    "/activities/",
    response={201: schemas.ActivityDetail, 422: Problem},
    summary="活動を登録する（下書き）",
    url_name="staff_activity_new",
)
def create_activity(request: HttpRequest, payload: schemas.ActivityNew) -> Status:
    """A new activity, checked as the page's form checks it (a region the holder may edit,
    at least one kind, places and schedules as the page's rows), saved as a draft."""
    staff.gate(request, WRITE, EDIT)
    given = payload.model_dump(exclude_unset=True, exclude={"places", "schedules"})
    form = _activity_form(request, Activity(), given)
    errors = _form_errors(form)
    forms = {
        rows.name: [rows.form(None, part.model_dump(exclude_unset=True)) for part in given]
        for rows, given in ((PLACES, payload.places), (SCHEDULES, payload.schedules))
    }
    for rows in (PLACES, SCHEDULES):
        for index, part in enumerate(forms[rows.name]):
            for field, messages in _form_errors(part).items():
                where = rows.name if field == "__all__" else f"{rows.name}.{index}.{field}"
                errors.setdefault(where, []).extend(messages)
        if len(forms[rows.name]) > rows.most:
            errors.setdefault(rows.name, []).append(rows.too_many % {"n": rows.most})
    _invalid(errors, "body", "payload")
    activity = form.save(commit=False)
    parts = services.ActivityParts(
        kinds=[*form.cleaned_data["activity_kinds"], *form.cleaned_data["organiser_kinds"]],
        organization_name=form.cleaned_data.get("organization_name", ""),
        places=[_row(part, PLACE_FIELDS) for part in forms["places"]],
        schedules=[_row(part, SCHEDULE_FIELDS) for part in forms["schedules"]],
    )
    services.save_activity(activity, parts)
    return Status(201, _shown(request, activity.pk))


STALE = gettext_lazy("ほかの人が先に保存しました。読み直して（GET）から、もう一度送ってください。")


def _version_sent(request: HttpRequest, activity: Activity) -> optimistic.Version:
    """The version a client read, sent as `If-Match` (the activity's `updated_at` as this
    API answers it, quoted or not); None if it sent none. The answers give times to the
    millisecond (Django's JSON encoder), so a version in the millisecond of the activity's
    own, read by this request, is that one."""
    sent = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    try:
        version = optimistic.parse(sent)
    except ValueError:
        raise staff.invalid({"If-Match": [str(optimistic.BAD_VERSION)]}, "header") from None
    own = activity.updated_at
    if isinstance(version, dt.datetime) and version == own.replace(
        microsecond=own.microsecond // 1000 * 1000
    ):
        return own
    return version


def _saved(activity: Activity, parts: services.ActivityParts, version: optimistic.Version) -> None:
    """save_activity, or the 409 that tells a second saver (lib/optimistic.py)."""
    try:
        services.save_activity(activity, parts, version=version)
    except optimistic.Stale:
        raise staff.conflict("stale", str(STALE)) from None


@router.patch(
    "/activities/{activity_id}/",
    response={**ONE, 409: Problem},
    summary="活動を変更する（送った項目だけ）",
    url_name="staff_activity_update",
)
def update_activity(
    request: HttpRequest, activity_id: Id, payload: schemas.ActivityIn
) -> dict[str, Any]:
    """Change the fields sent, the others kept; checked as the page's form checks the whole.
    Its places and schedules stay as they are (see the places/ and schedules/ below).

    Optimistic locking as on the page: send the `updated_at` you read as the `If-Match`
    header, and if someone saved the activity since, the answer is 409 (code `stale`) and
    nothing changes. Without it, a save landing while this request runs is still not
    overwritten (409 too)."""
    staff.gate(request, WRITE, EDIT)
    activity = _activity(request, activity_id, EDIT)
    sent = _version_sent(request, activity)
    form = _activity_form(request, activity, payload.model_dump(exclude_unset=True))
    _invalid(_form_errors(form), "body", "payload")
    activity = form.save(commit=False)
    parts = _parts(activity)
    parts.kinds = [*form.cleaned_data["activity_kinds"], *form.cleaned_data["organiser_kinds"]]
    parts.organization_name = form.cleaned_data.get("organization_name", "")
    _saved(activity, parts, sent or form.version_read)
    return _shown(request, activity.pk)


@router.post(
    "/activities/{activity_id}/status/",
    response=ONE,
    summary="活動の状態を変える（確認依頼・公開・休止・終了）",
    url_name="staff_activity_status",
)
def activity_status(
    request: HttpRequest, activity_id: Id, payload: schemas.ActivityStatusIn
) -> dict[str, Any]:
    """Move the activity as the page's buttons do (`transitions` of the activity tells
    which): publishing needs the right to publish in its area, the rest the right to edit."""
    staff.gate(request, WRITE, EDIT)
    capability = PUBLISH if payload.to == State.PUBLISHED else EDIT
    activity = _activity(request, activity_id, capability)
    try:
        services.change_status(activity, payload.to)
    except ValidationError as error:
        _invalid({"to": error.messages}, "body", "payload")
    return _shown(request, activity.pk)


@router.post(
    "/activities/{activity_id}/confirm/",
    response=ONE,
    summary="活動が続いていることを記録する",
    url_name="staff_activity_confirm",
)
def confirm_activity(request: HttpRequest, activity_id: Id) -> dict[str, Any]:
    """Record that someone checked today that the activity still runs (`last_confirmed`)."""
    staff.gate(request, WRITE, EDIT)
    activity = _activity(request, activity_id, EDIT)
    services.confirm_running(activity)
    return _shown(request, activity.pk)


# --- Places and schedules ----------------------------------------------------------------


def _row(form: BaseForm, fields: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in fields}


def _place_form(place: Place | None, given: dict[str, Any]) -> BaseForm:
    data = {name: getattr(place, name) for name in PLACE_FIELDS} if place else {}
    return PlaceForm({**data, **given}, instance=place)


def _schedule_form(schedule: Schedule | None, given: dict[str, Any]) -> BaseForm:
    data: dict[str, Any] = {}
    if schedule is not None:
        data = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
        data["weekdays"] = [str(day) for day in schedule.weekday_list()]
    if "weekdays" in given:
        given = {**given, "weekdays": [str(day) for day in given["weekdays"] or []]}
    return ScheduleForm({**data, **given}, instance=schedule)


@dataclass(frozen=True)
class _Rows[Part: (Place, Schedule)]:
    """An activity's places or schedules, which the page edits as rows of one formset: the
    relation's name (also the service's), the model, the row's fields, how many the formset
    holds, its row form and its answer."""

    name: str
    model: type[Part]
    fields: list[str]
    most: int
    form: Callable[[Part | None, dict[str, Any]], BaseForm]
    shown: Callable[[Part], dict[str, Any]]
    too_many: StrOrPromise

    def of(self, activity: Activity) -> QuerySet[Part]:
        return getattr(activity, self.name).all()  # type: ignore[no-any-return]

    def one(self, request: HttpRequest, activity_id: int, pk: int, capability: str) -> Part:
        """A row of a visible activity (404 otherwise; 403 without `capability`)."""
        rows = self.model.objects.select_related("activity__area")  # type: ignore[attr-defined]
        return access.get_object(  # type: ignore[no-any-return]
            request, rows, capability, "activity__area", pk=pk, activity_id=activity_id
        )

    @transaction.atomic
    def rewrite(self, activity: Activity, rows: list[dict[str, Any]]) -> None:
        """Save the activity with these rows, through the page's service: the other rows,
        its kinds and organiser as they are."""
        _saved(activity, _parts(activity, **{self.name: rows}), activity.updated_at)

    def checked(self, target: Part | None, given: dict[str, Any]) -> dict[str, Any]:
        """The row `given` makes of `target` (or of nothing), checked whole as the page's row."""
        form = self.form(target, given)
        _invalid(_form_errors(form), "body", "payload")
        return _row(form, self.fields)


PLACES = _Rows(
    "places", Place, PLACE_FIELDS, MOST_PLACES, _place_form, _place,
    gettext_lazy("場所は%(n)sつまでです。"),
)  # fmt: skip
SCHEDULES = _Rows(
    "schedules", Schedule, SCHEDULE_FIELDS, MOST_SCHEDULES, _schedule_form, _schedule,
    gettext_lazy("日程は%(n)sつまでです。"),
)  # fmt: skip


def _list_rows[Part: (Place, Schedule)](
    request: HttpRequest, rows: _Rows[Part], activity_id: int
) -> list[dict[str, Any]]:
    staff.gate(request, READ, VIEW)
    activity = _activity(request, activity_id, VIEW, shown=True)
    return [rows.shown(part) for part in rows.of(activity)]


def _one_row[Part: (Place, Schedule)](
    request: HttpRequest, rows: _Rows[Part], activity_id: int, pk: int
) -> dict[str, Any]:
    staff.gate(request, READ, VIEW)
    return rows.shown(rows.one(request, activity_id, pk, VIEW))


def _add_row[Part: (Place, Schedule)](
    request: HttpRequest, rows: _Rows[Part], activity_id: int, given: dict[str, Any]
) -> Status:
    staff.gate(request, WRITE, EDIT)
    activity = _activity(request, activity_id, EDIT)
    row = rows.checked(None, given)
    kept: list[dict[str, Any]] = _rows(rows.of(activity), rows.fields)
    if len(kept) >= rows.most:
        _invalid({"__all__": [rows.too_many % {"n": rows.most}]}, "body", "payload")
    rows.rewrite(activity, [*kept, row])
    return Status(201, rows.shown(rows.of(activity).order_by("id").last()))  # type: ignore[arg-type]


def _change_row[Part: (Place, Schedule)](
    request: HttpRequest, rows: _Rows[Part], activity_id: int, pk: int, given: dict[str, Any]
) -> dict[str, Any]:
    staff.gate(request, WRITE, EDIT)
    activity = _activity(request, activity_id, EDIT)
    target = rows.one(request, activity.pk, pk, EDIT)
    row = rows.checked(target, given)
    current = list(rows.of(activity))
    written = _rows(current, rows.fields)
    written[[part.pk for part in current].index(target.pk)] = row
    rows.rewrite(activity, written)
    return rows.shown(rows.one(request, activity.pk, pk, VIEW))


def _delete_row[Part: (Place, Schedule)](
    request: HttpRequest, rows: _Rows[Part], activity_id: int, pk: int
) -> Status:
    staff.gate(request, WRITE, EDIT)
    activity = _activity(request, activity_id, EDIT)
    target = rows.one(request, activity.pk, pk, EDIT)
    with transaction.atomic():
        target.delete()  # first: the others keep their ids
        rows.rewrite(activity, _rows(rows.of(activity), rows.fields))
    return Status(204, None)


@router.get(
    "/activities/{activity_id}/places/",
    response={200: list[schemas.ActivityPlace], 404: Problem, 422: Problem},
    summary="活動の場所の一覧",
    url_name="staff_places",
)
def places(request: HttpRequest, activity_id: Id) -> list[dict[str, Any]]:
    """Where the activity happens (3 places at most, as on the page)."""
    return _list_rows(request, PLACES, activity_id)


@router.get(
    "/activities/{activity_id}/places/{place_id}/",
    response=PLACE,
    summary="活動の場所ひとつ",
    url_name="staff_place",
)
def place(request: HttpRequest, activity_id: Id, place_id: Id) -> dict[str, Any]:
    """One place of the activity."""
    return _one_row(request, PLACES, activity_id, place_id)


@router.post(
    "/activities/{activity_id}/places/",
    response={201: schemas.ActivityPlace, 404: Problem, 422: Problem},
    summary="活動に場所を加える",
    url_name="staff_place_new",
)
def add_place(request: HttpRequest, activity_id: Id, payload: schemas.ActivityPlaceIn) -> Status:
    """A new place of the activity, checked as a row of the page's places (a name and an
    address; latitude and longitude both or neither); 3 at most."""
    return _add_row(request, PLACES, activity_id, payload.model_dump(exclude_unset=True))


@router.patch(
    "/activities/{activity_id}/places/{place_id}/",
    response=PLACE,
    summary="活動の場所を変更する（送った項目だけ）",
    url_name="staff_place_update",
)
def update_place(
    request: HttpRequest, activity_id: Id, place_id: Id, payload: schemas.ActivityPlaceIn
) -> dict[str, Any]:
    """Change the fields sent; the place is checked whole, as the page's row."""
    given = payload.model_dump(exclude_unset=True)
    return _change_row(request, PLACES, activity_id, place_id, given)


@router.delete(
    "/activities/{activity_id}/places/{place_id}/",
    response={204: None, 404: Problem, 422: Problem},
    summary="活動の場所を削除する",
    url_name="staff_place_delete",
)
def delete_place(request: HttpRequest, activity_id: Id, place_id: Id) -> Status:
    """Take the place off the activity (the page's 削除 box on its row)."""
    return _delete_row(request, PLACES, activity_id, place_id)


@router.get(
    "/activities/{activity_id}/schedules/",
    response={200: list[schemas.ActivitySchedule], 404: Problem, 422: Problem},
    summary="活動の日程の一覧",
    url_name="staff_schedules",
)
def schedules(request: HttpRequest, activity_id: Id) -> list[dict[str, Any]]:
    """When the activity meets (5 schedules at most, as on the page)."""
    return _list_rows(request, SCHEDULES, activity_id)


@router.get(
    "/activities/{activity_id}/schedules/{schedule_id}/",
    response=SCHEDULE,
    summary="活動の日程ひとつ",
    url_name="staff_schedule",
)
def schedule(request: HttpRequest, activity_id: Id, schedule_id: Id) -> dict[str, Any]:
    """One schedule of the activity, with the way the pages tell it (`in_words`)."""
    return _one_row(request, SCHEDULES, activity_id, schedule_id)


@router.post(
    "/activities/{activity_id}/schedules/",
    response={201: schemas.ActivitySchedule, 404: Problem, 422: Problem},
    summary="活動に日程を加える",
    url_name="staff_schedule_new",
)
def add_schedule(
    request: HttpRequest, activity_id: Id, payload: schemas.ActivityScheduleIn
) -> Status:
    """A new schedule, checked as a row of the page's schedules (weekdays for 毎週, the week
    and one weekday for 第◯◯曜日, a day for ◯日, a note for 不定期, closing after opening);
    5 at most."""
    return _add_row(request, SCHEDULES, activity_id, payload.model_dump(exclude_unset=True))


@router.patch(
    "/activities/{activity_id}/schedules/{schedule_id}/",
    response=SCHEDULE,
    summary="活動の日程を変更する（送った項目だけ）",
    url_name="staff_schedule_update",
)
def update_schedule(
    request: HttpRequest, activity_id: Id, schedule_id: Id, payload: schemas.ActivityScheduleIn
) -> dict[str, Any]:
    """Change the fields sent; the schedule is checked whole, as the page's row."""
    given = payload.model_dump(exclude_unset=True)
    return _change_row(request, SCHEDULES, activity_id, schedule_id, given)


@router.delete(
    "/activities/{activity_id}/schedules/{schedule_id}/",
    response={204: None, 404: Problem, 422: Problem},
    summary="活動の日程を削除する",
    url_name="staff_schedule_delete",
)
def delete_schedule(request: HttpRequest, activity_id: Id, schedule_id: Id) -> Status:
    """Take the schedule off the activity (the page's 削除 box on its row)."""
    return _delete_row(request, SCHEDULES, activity_id, schedule_id)
