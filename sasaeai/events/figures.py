"""The events' indicators (lib/indicators.py): SC trainings and liaison meetings held, and the
SCs' attendance, per 年度, by kind of event (the municipality's own kinds: parts).

An event counts if it was published and not called off, in the year it starts (up to today for
the current year: an event of today counts). Events belong to the area they are for, so a
ward-wide training counts at the ward alone. Attendance belongs to the SC who attended, in the
area of their home membership (the first of their SC memberships by path, as on the attendance
report, reports.attendance): memberships as they are now, so an SC who moved counts in their
new region for past years too.

Events held link to the list of the year's events held (held_views.py), narrowed by `held`;
attendance to the attendance report, which has no area filter: the municipality's figure alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.models import Membership
from sasaeai.lib.indicators import Found, Indicator, Scope, address, is_root, register, tally
from sasaeai.lib.paths import is_under

from .models import PARTICIPANT_ROLES, Event, Registration

GROUP = _("SCの研修と連絡会")


def held(scope: Scope, year: int) -> Q:
    """Events that started within the year, up to today (of `Event.objects.published()
    .going_ahead()`)."""
    return scope.during("starts_at", year, timed=True)


def count(scope: Scope) -> Found:
    """Events held (one query), attendance (the SCs' memberships, then their registrations)."""
    found = tally(
        Event.objects.published().going_ahead(),
        scope,
        {"events.held": lambda year: held(scope, year)},
        part=("kind_id", "kind__name"),
        order=("kind__sort_order",),
        whole=True,
    )
    return found.merge(_attendance(scope))


def _attendance(scope: Scope) -> Found:
    """Attendance by the SC's home area: the first of all their SC memberships by path, those
    outside the scope included, so that an area's figure is the same however it is asked."""
    participants = Membership.objects.filter(role__in=PARTICIPANT_ROLES, user__is_active=True)
    here = participants.filter(scope.under()).values("user_id")
    home: dict[int, str] = {}
    memberships = (
        participants.filter(user_id__in=here)
        .order_by("area__path", "user_id")
        .values_list("user_id", "area__path")
    )
    for user, path in memberships:
        home.setdefault(user, path)
    home = {
        user: path for user, path in home.items() if any(is_under(path, p) for p in scope.paths)
    }
    attended = Registration.objects.attended().filter(
        user_id__in=list(home),
        event__published_at__isnull=False,
        event__cancelled_at__isnull=True,
    )
    by_person = tally(
        attended,
        scope,
        {"events.attendance": lambda year: scope.during("event__starts_at", year, timed=True)},
        path="user_id",
        part=("event__kind_id", "event__kind__name"),
        order=("event__kind__sort_order",),
        whole=True,
        scoped=False,
    )
    found = Found(parts=by_person.parts)
    for (person, year, part), n in by_person.counts["events.attendance"].items():
        found.add("events.attendance", home[int(person)], year, n, part)
    return found


def _held_list(area: Any, year: int, part: str) -> str:
    return address("events_staff:held", area=area.pk, year=year, kind=part or None)


def _attendance_report(area: Any, year: int, part: str) -> str | None:
    """The attendance report of the year (per SC, region and block): the municipality's whole,
    as it has no area filter."""
    if not is_root(area) or part:
        return None
    return address("events_staff:attendance_report", year=year)


register(
    Indicator(
        "events.held", GROUP, _("開いた研修・連絡会"), count, unit=_("回"), link=_held_list,
        note=_("年度中に開いた研修・連絡会（中止を除く、種類別）。対象の地域で数えます"),
    ),
    Indicator(
        "events.attendance", GROUP, _("SCの出席"), count, link=_attendance_report,
        unit=_("人"),
        note=_("年度中の研修・連絡会に出席したSC（のべ人数、種類別）。SCの地域で数えます"),
    ),
)  # fmt: skip
