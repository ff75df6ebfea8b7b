"""What waits on a person, for the staff home: each kind of work with its count and its oldest
few records, each linked, the oldest first with its age.

Each kind is one query whatever the person's reach (one region or the ward's 18): the business
rule is a QuerySet method of the record's own app (`ActionItem.objects.overdue`), narrowed by
`access.scope` with the capability that lets the person act on the record, and the count rides
on the few rows fetched as a window count over all of them. A kind with nothing waiting is left
out; a person with nothing waiting is told so.

Events have no kind here: a registration needs nobody's confirming (a place is taken, or the
waiting list joined, at once, and a freed place goes to the next in line by itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, F, Func, IntegerField, Subquery, Value, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.budgets.models import Budget
from sasaeai.councils.models import ActionItem
from sasaeai.directory.models import Activity, Proposal
from sasaeai.knowhow import sharing_lookups
from sasaeai.knowhow.models import AskedQuestion, Case
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.needs.models import Need
from sasaeai.referrals import lookups as referral_lookups
from sasaeai.referrals.models import Referral
from sasaeai.reports.models import Report
from sasaeai.support.models import SupportRequest

EDIT, HANDLE = Capability.EDIT, Capability.HANDLE_REFERRALS
FEW = 3  # records shown per kind; the rest are behind the kind's list


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    place: str  # the area's name: a ward's staff sees many
    since: dt.date | None  # when it began to wait
    age: str  # 「12日前」
    note: str = ""


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    since_label: str  # what `since` is: 期限, 依頼した日…
    count: int
    items: list[Item]
    list_url: str
    list_label: str
    list_exact: bool = True  # the list shows just these records (not also others)


def days_ago(since: dt.date, today: dt.date) -> str:
    days = (today - since).days
    if days <= 0:
        return _("今日")
    return ngettext("%(n)s日前", "%(n)s日前", days) % {"n": days}


def _oldest(queryset: models.QuerySet[Any], *order: Any) -> tuple[int, list[Any]]:
    """The few first rows in `order` and how many rows there are, in one query."""
    rows = list(queryset.annotate(todo_total=Window(Count("pk"))).order_by(*order)[:FEW])
    return (rows[0].todo_total if rows else 0), rows


def _items(
    rows: list[Any], today: dt.date, build: Callable[[Any], tuple[str, str, str, dt.date | None]]
) -> list[Item]:
    items = []
    for row in rows:
        label, url, place, since = build(row)
        age = days_ago(since, today) if since else ""
        items.append(Item(label, url, place, since, age, getattr(row, "todo_note", "")))
    return items


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def overdue_actions(user: Any, today: dt.date) -> Task:
    queryset = access.scope(
        user,
        ActionItem.objects.overdue(today).select_related("meeting__council__area"),
        EDIT,
        "meeting__council__area",
    )
    count, rows = _oldest(queryset, "due_on", "pk")
    items = _items(
        rows,
        today,
        lambda a: (
            a.what,
            a.meeting.get_absolute_url(),
            f"{a.meeting.council.name} {a.meeting.title}",
            a.due_on,
        ),
    )
    year = fiscal_year_of(today)
    list_url = reverse("councils_staff:year_actions") + f"?year={year}&which=open"
    return Task("actions", _("期限を過ぎたやること（支え合い会議）"), _("期限"), count, items,
                list_url, _("終わっていないやること"), list_exact=False)  # fmt: skip


def unanswered_requests(user: Any, today: dt.date) -> Task:
    # Waiting on the ward side of each request: EDIT on the area above the council's
    # (support/lookups.is_ward_side); a region's SC asked them and is not who answers.
    queryset = access.scope(
        user, SupportRequest.objects.unanswered().select_related("area"), EDIT, "area__parent"
    )
    count, rows = _oldest(queryset, "opened_at", "pk")
    items = _items(
        rows,
        today,
        lambda r: (f"{r.number} {r.title}", r.get_absolute_url(), r.area.name, _day(r.opened_at)),
    )
    list_url = reverse("support_staff:list") + "?status=new"
    return Task("support", _("返事をしていない応援の依頼"), _("依頼"), count, items, list_url,
                _("受付待ちの依頼"))  # fmt: skip


def new_proposals(user: Any, today: dt.date) -> Task:
    queryset = access.scope(user, Proposal.objects.open().select_related("area"), EDIT)
    count, rows = _oldest(queryset, "created_at", "pk")
    list_url = reverse("directory_staff:proposals")
    items = _items(
        rows,
        today,
        lambda p: (
            f"{p.name}（{p.get_kind_display()}）",
            list_url,
            p.area.name,
            _day(p.created_at),
        ),
    )
    return Task("proposals", _("住民からの活動の情報（未対応）"), _("届いた日"), count, items,
                list_url, _("住民からの情報"))  # fmt: skip


def unseen_needs(user: Any, today: dt.date) -> Task:
    queryset = access.scope(user, Need.objects.unseen().select_related("area", "kind"), EDIT)
    count, rows = _oldest(queryset, "created_at", "pk")
    items = _items(
        rows,
        today,
        lambda n: (
            f"{n.number} {n.kind.name}",
            n.get_absolute_url(),
            n.area.name,
            _day(n.created_at),
        ),
    )
    list_url = reverse("needs_staff:list") + "?new_only=on"
    return Task("needs", _("まだ開いていない困りごと"), _("届いた日"), count, items, list_url,
                _("新着の困りごと"))  # fmt: skip


def returned_referrals(user: Any, today: dt.date) -> Task | None:
    """Referrals the institution sent back, for their sender's side only: the council-side
    handlers of the referral's area and its sender. Both are among the three kinds of people
    referrals/lookups.visible lets see a referral (the third, the institution, is not waited
    on), so nobody else learns that they exist."""
    if not access.has_any(user, HANDLE):
        return None
    handlers = access.under(referral_lookups.handler_paths(user), "area__path")
    queryset = (
        Referral.objects.returned()
        .filter(handlers | models.Q(created_by=user))
        .select_related("area", "institution")
    )
    count, rows = _oldest(queryset, "finished_at", "pk")
    # The number and the institution only: never the person (referrals/models.py).
    items = _items(
        rows,
        today,
        lambda r: (
            f"{r.number} {r.institution.name}",
            r.get_absolute_url(),
            r.area.name,
            _day(r.finished_at),
        ),
    )
    list_url = reverse("referrals_staff:list") + "?status=returned"
    return Task("referrals", _("差し戻されたつなぎ"), _("差し戻し"), count, items, list_url,
                _("差し戻しのつなぎ"))  # fmt: skip


def unconfirmed_activities(user: Any, today: dt.date) -> Task:
    queryset = access.scope(
        user,
        Activity.objects.needs_confirming(today)
        .select_related("area")
        .only("name", "last_confirmed", "area__name"),
        EDIT,
    )
    # Never confirmed first: nobody has looked at those at all.
    count, rows = _oldest(queryset, F("last_confirmed").asc(nulls_first=True), "created_at", "pk")
    for activity in rows:
        if activity.last_confirmed is None:
            activity.todo_note = _("確認の記録がありません")
    items = _items(
        rows,
        today,
        lambda a: (
            a.name,
            reverse("directory_staff:detail", args=[a.pk]),
            a.area.name,
            a.last_confirmed,
        ),
    )
    list_url = reverse("directory_staff:needs_confirming")
    return Task("activities", _("12か月以上確認していない活動"), _("最後の確認"), count, items,
                list_url, _("確認が必要な活動"))  # fmt: skip


def spent_budgets(user: Any, today: dt.date) -> Task:
    queryset = access.scope(
        user,
        Budget.objects.nearly_spent(90).select_related("council__area"),
        EDIT,
        "council__area",
    )
    count, rows = _oldest(queryset, "fiscal_year", "council__area__sort_order", "pk")
    for budget in rows:
        budget.todo_note = _("%(p)s%% 使用") % {"p": budget.spent * 100 // budget.amount}
    items = _items(rows, today, lambda b: (str(b), b.get_absolute_url(), b.council.area.name, None))
    return Task("budgets", _("9割以上使った運営費"), "", count, items,
                reverse("budgets_staff:list"), _("運営費"), list_exact=False)  # fmt: skip


def reports_to_review(user: Any, today: dt.date) -> Task:
    # Waiting on the area above the report's (reports/lookups.may_review): the block for its
    # regions, the ward for every region and block. The ward's own report, which its own
    # staff approve, waits on nobody else and is not listed.
    queryset = access.scope(
        user, Report.objects.in_review().select_related("area"), EDIT, "area__parent"
    )
    count, rows = _oldest(queryset, "updated_at", "pk")
    items = _items(
        rows,
        today,
        lambda r: (
            _("%(year)s年度の活動報告") % {"year": r.fiscal_year},
            reverse("reports_staff:report", args=[r.area.code, r.fiscal_year]),
            r.area.name,
            _day(r.updated_at),
        ),
    )
    return Task("reports", _("確認をお願いされている活動報告"), _("届いた日"), count, items,
                reverse("reports_staff:index"), _("活動報告"), list_exact=False)  # fmt: skip


def _count(queryset: models.QuerySet[Any]) -> Subquery:
    """How many rows `queryset` has, as a scalar subquery (one row: COUNT without GROUP BY)."""
    counted = queryset.order_by().annotate(
        todo_n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Subquery(counted.values("todo_n"), output_field=IntegerField())


SHARED_KINDS = {"case": "knowhow_staff:case", "question": "knowhow_staff:question"}


def sharing_requests(user: Any, today: dt.date) -> Task | None:
    """Cases and questions their writers asked to share with the other municipalities, for
    the ward that approves or refuses them (EDIT on the municipality itself:
    knowhow/sharing_lookups.is_ward). Nobody else has this kind, and asks no query for it.

    The two tables wait in one list, so the kind's one query is a union of both, oldest
    request first. A window count over a union's half counts that half alone: each row carries
    the two halves' counts instead, as scalar subqueries the database answers once."""
    if not sharing_lookups.ward_municipalities(user):
        return None
    halves: dict[str, models.QuerySet[Any]] = {
        "case": access.scope(user, Case.objects.asked_to_share(), EDIT, "municipality"),
        "question": access.scope(
            user, AskedQuestion.objects.asked_to_share(), EDIT, "municipality"
        ),
    }
    total = _count(halves["case"]) + _count(halves["question"])
    case_rows, question_rows = (
        queryset.order_by()
        .annotate(todo_kind=Value(kind), todo_place=F("area__name"), todo_total=total)
        .values_list("todo_kind", "pk", "title", "todo_place", "share_asked_at", "todo_total")
        for kind, queryset in halves.items()
    )
    union = case_rows.union(question_rows, all=True)
    rows = list(union.order_by("share_asked_at", "todo_kind", "pk")[:FEW])
    words = {"case": _("事例"), "question": _("質問")}
    items = _items(
        rows,
        today,
        lambda r: (
            f"{r[2]}（{words[r[0]]}）",
            reverse(SHARED_KINDS[r[0]], args=[r[1]]),
            r[3],
            _day(r[4]),
        ),
    )
    count = rows[0][5] if rows else 0
    # The ward's list shows what it shares now too: not just these.
    return Task("sharing", _("他の自治体への共有の申請（承認待ち）"), _("申請"), count, items,
                reverse("knowhow_staff:share_requests"), _("共有の申請"),
                list_exact=False)  # fmt: skip


# Most pressing first: someone else waits for the first ones.
KINDS: list[Callable[[Any, dt.date], Task | None]] = [
    returned_referrals,
    unanswered_requests,
    reports_to_review,
    sharing_requests,
    overdue_actions,
    unseen_needs,
    new_proposals,
    spent_budgets,
    unconfirmed_activities,
]


def gather(user: Any, today: dt.date | None = None) -> list[Task]:
    """What waits on `user`, kind by kind; the kinds with nothing waiting left out. Those who
    only handle referrals (an institution's staff) have none of the region's work."""
    today = today or timezone.localdate()
    if not access.has_any(user, EDIT):
        kinds: list[Callable[[Any, dt.date], Task | None]] = [returned_referrals]
    else:
        kinds = KINDS
    tasks = [kind(user, today) for kind in kinds]
    return [task for task in tasks if task is not None and task.count]
