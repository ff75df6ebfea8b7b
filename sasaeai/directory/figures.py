"""The directory's indicators (lib/indicators.py): activities known, published, new and ended
in each 年度, the known ones by kind, and 通いの場.

An activity's status has no dated history, so two readings stand in for it:

- an ended activity ended on the day it was last saved (`updated_at`): 終了 is the last step of
  an activity's life (no step leads out of it), and the step saves the activity; an edit of an
  ended activity moves that day later;
- 公開中 is told for the current year only: whether an activity was published on an earlier
  31 March is not recorded.

Activities are counted from the day they were entered (`created_at`): an activity imported in
2026 is new in 2026 even if it began long before. Its schedules and places are read as they are
now (通いの場): they have no history either.

Every figure links to the staff list narrowed the same way (list_filters.py: ?year=…&in_year=…
with these rules, ?kind=… for a part, ?kayoi=1 by kayoi.py's rule).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import (
    Found,
    Indicator,
    Link,
    Scope,
    address,
    present_only,
    register,
    tally,
)

from .kayoi import is_kayoi
from .models import Activity, Facet, Place, Schedule, Status

GROUP = _("活動")


def known(scope: Scope, year: int, prefix: str = "") -> Q:
    """Entered by the end of the year, and not ended by then."""
    ended = Q(**{f"{prefix}status": Status.ENDED}) & scope.until(
        f"{prefix}updated_at", year, timed=True
    )
    return scope.until(f"{prefix}created_at", year, timed=True) & ~ended


def new(scope: Scope, year: int) -> Q:
    """Entered within the year."""
    return scope.during("created_at", year, timed=True)


def ended(scope: Scope, year: int) -> Q:
    """Ended within the year (last saved as ended then)."""
    return Q(status=Status.ENDED) & scope.during("updated_at", year, timed=True)


# How the staff list reads a 年度 (?year=…&in_year=…): the same rules as the figures, so that a
# figure's link lists exactly what it counts.
IN_YEAR = {"known": known, "new": new, "ended": ended}


def count(scope: Scope) -> Found:
    """Known, published, new and ended activities, and the known ones by kind: two queries."""
    found = tally(
        Activity.objects.all(),
        scope,
        {
            "directory.known": lambda year: known(scope, year),
            "directory.published": lambda year: Q(status=Status.PUBLISHED),
            "directory.new": lambda year: new(scope, year),
            "directory.ended": lambda year: ended(scope, year),
        },
    )
    return found.merge(_by_kind(scope))


def _by_kind(scope: Scope) -> Found:
    """Known activities under each kind of what they do (one activity under each of its kinds):
    one query over the links between activities and kinds."""
    links = Activity.kinds.through.objects.filter(kind__facet=Facet.ACTIVITY)
    return tally(
        links,
        scope,
        {"directory.known": lambda year: known(scope, year, "activity__")},
        path="activity__area__path",
        part=("kind_id", "kind__name"),
        order=("kind__sort_order",),
    )


def count_kayoi(scope: Scope) -> Found:
    """通いの場 among the known activities: their schedules read in one query."""
    with_place = Exists(Place.objects.filter(activity=OuterRef("activity_id")))
    rows = (
        Schedule.objects.filter(scope.under("activity__area__path"))
        .filter(with_place)
        .values_list(
            "activity_id",
            "activity__area__path",
            "activity__created_at",
            "activity__status",
            "activity__updated_at",
            "frequency",
            "note",
        )
    )
    activities: dict[int, list[Any]] = {}
    schedules: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, path, created, status, updated, frequency, note in rows:
        activities[pk] = [path, timezone.localdate(created), status, timezone.localdate(updated)]
        schedules[pk].append((frequency, note))
    found = Found()
    found.counts["directory.kayoi"] = defaultdict(int)
    for pk, (path, created, status, updated) in activities.items():
        if not is_kayoi(schedules[pk]):
            continue
        for year in scope.years:
            end = scope.end(year)
            if created <= end and not (status == Status.ENDED and updated <= end):
                found.add("directory.kayoi", path, year, 1)
    return found


def _published_list(area: Any, year: int, part: str) -> str:
    return address("directory_staff:list", area=area.pk, status=Status.PUBLISHED)


def _in_year(reading: str, **query: Any) -> Link:
    """The staff list of the activities of an area read in a year as the figure reads it."""

    def link(area: Any, year: int, part: str) -> str:
        return address(
            "directory_staff:list", area=area.pk, kind=part or None, **query, year=year,
            in_year=reading,
        )  # fmt: skip

    return link


register(
    Indicator(
        "directory.known", GROUP, _("把握している活動"), count, moment=True,
        link=_in_year("known"),
        note=_("年度末（今年度は今日）に終了していない活動。種類別は活動の内容の種類ごと"),
    ),
    Indicator(
        "directory.published", GROUP, _("公開中の活動"), count, moment=True,
        note=_("今日、公開中の活動（過去の年度末の状態は記録がありません）"),
        link=_published_list, known=present_only,
    ),
    Indicator(
        "directory.new", GROUP, _("新しく登録した活動"), count, link=_in_year("new"),
        note=_("年度中に登録した活動"),
    ),
    Indicator(
        "directory.ended", GROUP, _("終了した活動"), count, link=_in_year("ended"),
        note=_("年度中に終了した活動（終了にした後の最後の更新日で数えます）"),
    ),
    Indicator(
        "directory.kayoi", GROUP, _("通いの場"), count_kayoi, moment=True,
        link=_in_year("known", kayoi=1),
        note=_("年度末に終了していない活動のうち、場所があり、月1回以上の日程があるもの"),
    ),
)  # fmt: skip
