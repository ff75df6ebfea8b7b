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

from .models import Activity, Frequency

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
