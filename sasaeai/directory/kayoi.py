"""通いの場 as the national survey counts them (介護予防・日常生活支援総合事業等の実施状況に関する
調査): a place where residents gather at least once a month.

Judged from what an activity records: it has a place (a venue to go to, not a visit or a call),
and one of its schedules meets every month or more often. Weekly (隔週 too) and monthly
schedules (第◯◯曜日, ◯日) count; irregular ones do not, nor a weekly or monthly one whose note
says it skips months (隔月, 奇数月, 3か月に1回, 年4回 …): the schedule has no interval of its
own, so an every-other-month group is entered as monthly with such a note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from .models import Activity, ActivityQuerySet, Frequency, Place, Schedule

EVERY_MONTH_OR_MORE = frozenset({Frequency.WEEKLY, Frequency.MONTHLY_NTH, Frequency.MONTHLY_DATE})
# Words of a note that say a schedule skips months (read after NFKC: full-width digits folded).
SKIPS_MONTHS = re.compile(
    r"隔月|奇数月|偶数月|月\s*おき|[2-9二三四五六]\s*[かカヵヶケ箇]\s*月\s*(?:に|ごと|毎)|季節ごと"
)
TIMES_A_YEAR = re.compile(r"年\s*(\d+)\s*回")


def meets_monthly(frequency: str, note: str = "") -> bool:
    """Whether one schedule meets at least once every month."""
    if frequency not in EVERY_MONTH_OR_MORE:
        return False
    words = unicodedata.normalize("NFKC", note)
    if SKIPS_MONTHS.search(words):
        return False
    return all(int(times) >= 12 for times in TIMES_A_YEAR.findall(words))


def is_kayoi(schedules: Iterable[tuple[str, str]], has_place: bool = True) -> bool:
    """Whether an activity with these schedules (frequency, note) is a 通いの場."""
    return has_place and any(meets_monthly(frequency, note) for frequency, note in schedules)


def activity_is_kayoi(activity: Activity) -> bool:
    """`is_kayoi` of one activity as it is recorded now (two queries)."""
    schedules = activity.schedules.values_list("frequency", "note")
    return is_kayoi(schedules, activity.places.exists())


def only_kayoi(activities: ActivityQuerySet) -> ActivityQuerySet:
    """The 通いの場 among `activities` (a staff list's filter): the words of a note are read
    after NFKC, which the database cannot do the same way, so the rule runs here on their
    monthly schedules (one query) and the list keeps the activities found. `activities` is
    read as a subquery: narrow it by words (raw SQL naming the activity table) afterwards."""
    with_place = Exists(Place.objects.filter(activity=OuterRef("activity_id")))
    schedules = (
        Schedule.objects.filter(activity__in=activities.values("pk"))
        .filter(frequency__in=EVERY_MONTH_OR_MORE)
        .filter(with_place)
        .values_list("activity_id", "frequency", "note")
    )
    found = {pk for pk, frequency, note in schedules if meets_monthly(frequency, note)}
    return activities.filter(pk__in=sorted(found))
