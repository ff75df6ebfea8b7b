"""Forms of the figures only people know: a row of participants per activity with one reference
month for the page, and a row of population aged 65+ per region. Counts are read the same way
here and in the imports (`parse_count`, `parse_date`; the participants import checks each row
with ParticipationForm itself), so a number the page takes, the file takes too.

Counts are typed in text boxes that bring up the number pad (inputmode="numeric"), not in
number inputs: a browser sends an empty value for what a number input cannot read ("12人"),
and the row would quietly count as "not entered" instead of being told what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.lib.forms import PLAIN
from sasaeai.lib.optimistic import Versioned

MAX_PARTICIPANTS = 100_000
MAX_POPULATION = 10_000_000
MINUS = str.maketrans({"−": "-", "ー": "-", "‐": "-", "－": "-"})
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?")
MONTH = re.compile(r"(?:(?P<year>\d{4})\s*[-/.年]\s*)?(?P<month>\d{1,2})\s*月?")


def parse_count(text: str, limit: int) -> int:
    """A count as people write it ("1,234", full-width digits), 0 to `limit`; ValueError with
    the reason in Japanese otherwise."""
    words = unicodedata.normalize("NFKC", text).translate(MINUS).replace(",", "").strip()
    if not re.fullmatch(r"-?\d+", words):
        raise ValueError(_("数字で書いてください（例: 12）。"))
    value = int(words)
    if value < 0:
        raise ValueError(_("0 以上の数を書いてください（負の数は書けません）。"))
    if value > limit:
        raise ValueError(_("%(limit)s までの数を書いてください。") % {"limit": f"{limit:,}"})
    return value


def parse_date(text: str) -> dt.date:
    """A date written 2027-01-01, 2027/1/1 or 2027年1月1日; ValueError (in Japanese)
    otherwise."""
    found = DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    try:
        if found is None:
            raise ValueError
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValueError(_("日付は 2027-01-01 のように書いてください。")) from None


def parse_month(text: str, year: int) -> dt.date:
    """A reference month of 年度 `year` (its first day), written 2027-03, 2027/3, 2027年3月, as
    a date of that month (an Excel date cell reads as 2027-03-01), or as the month alone (3月:
    January to March fall in the next calendar year); ValueError (in Japanese) otherwise."""
    words = unicodedata.normalize("NFKC", text).strip()
    found = MONTH.fullmatch(words)
    if found is None:
        try:
            day = parse_date(words)
        except ValueError:
            raise ValueError(_("2027-03 のように、年と月を書いてください。")) from None
        found_year, month = day.year, day.month
    elif found["year"]:
        found_year, month = int(found["year"]), int(found["month"])
    else:
        month = int(found["month"])
        found_year = year + 1 if month <= 3 else year
    first, last = month_choices(year)[0][1], month_choices(year)[-1][1]
    if not 1 <= month <= 12 or not (year, 4) <= (found_year, month) <= (year + 1, 3):
        raise ValueError(
            _("%(first)sから%(last)sまでの月にしてください（この年度の月）。")
            % {"first": first, "last": last}
        )
    return dt.date(found_year, month, 1)


def as_of_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The days a population of 年度 `year` may be counted on: from the start of the year
    before to the end of this one."""
    return dt.date(year - 1, 4, 1), dt.date(year + 1, 3, 31)


def check_as_of(day: dt.date, year: int) -> None:
    start, end = as_of_bounds(year)
    if not start <= day <= end:
        raise ValueError(
            _("基準日は %(start)s から %(end)s までの日にしてください。")
            % {"start": start.isoformat(), "end": end.isoformat()}
        )


def default_as_of(year: int) -> dt.date:
    """The day a population of 年度 `year` is taken as when none is given: 1 January, the
    day of the resident register's yearly figures, within the 年度."""
    return dt.date(year + 1, 1, 1)


class CountField(forms.Field):
    """A count, or None when left empty (not known is never zero)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 7})

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.limit = limit

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_count(text, self.limit)
        except ValueError as error:
            raise ValidationError(str(error)) from None


def month_choices(year: int) -> list[tuple[str, str]]:
    """The twelve months of 年度 `year`, April to March, as "2027-03" → "2027年3月"."""
    months = [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]
    return [(f"{y}-{m:02d}", _("%(y)s年%(m)s月") % {"y": y, "m": m}) for y, m in months]


class MonthForm(forms.Form):
    """The page's one reference month (基準の月), for every activity's figures of the 年度."""

    month = forms.ChoiceField(
        label=gettext_lazy("基準の月"),
        help_text=gettext_lazy(
            "参加者を数えた月です。この年度のすべての活動で同じ月にします（3月が望ましい）。"
        ),
        error_messages=PLAIN,
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(year)  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        year, month = self.cleaned_data["month"].split("-")
        return dt.date(int(year), int(month), 1)


PARTS = ["men", "women", "aged_65_74", "aged_75_up", "per_session"]


class ParticipationForm(forms.Form):
    """One activity's figures; all empty means "not entered"."""

    participants = CountField(label=gettext_lazy("参加者実人数"), limit=MAX_PARTICIPANTS)
    men = CountField(label=gettext_lazy("うち男性"), limit=MAX_PARTICIPANTS)
    women = CountField(label=gettext_lazy("うち女性"), limit=MAX_PARTICIPANTS)
    aged_65_74 = CountField(label=gettext_lazy("うち65〜74歳"), limit=MAX_PARTICIPANTS)
    aged_75_up = CountField(label=gettext_lazy("うち75歳以上"), limit=MAX_PARTICIPANTS)
    per_session = CountField(label=gettext_lazy("1回あたり人数"), limit=MAX_PARTICIPANTS)

    def is_empty(self) -> bool:
        """Nothing typed in any box (read from what was sent, so a bad value is not empty)."""
        return not any(str(field.value() or "").strip() for field in self.visible_fields())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        total = data.get("participants")
        if total is None:
            if any(data.get(name) is not None for name in PARTS):
                self.add_error(
                    "participants",
                    _("参加者実人数を書いてください（内訳だけでは保存できません）。"),
                )
            return data
        for first, second, words in (
            ("men", "women", _("男性と女性")),
            ("aged_65_74", "aged_75_up", _("65〜74歳と75歳以上")),
        ):
            both = (data.get(first) or 0) + (data.get(second) or 0)
            if both > total:
                message = _(
                    "%(words)sの合計（%(both)s 人）が参加者実人数（%(total)s 人）を超えています。"
                )
                self.add_error(None, message % {"words": words, "both": both, "total": total})
        return data


class PopulationForm(forms.Form):
    """One region's population aged 65+ and the day it was counted; an empty count means
    "not entered"."""

    aged_65_up = CountField(label=gettext_lazy("65歳以上の人口"), limit=MAX_POPULATION)
    as_of = forms.CharField(
        label=gettext_lazy("基準日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def is_empty(self) -> bool:
        return not str(self["aged_65_up"].value() or "").strip()

    def clean_as_of(self) -> dt.date | None:
        text = self.cleaned_data["as_of"].strip()
        if not text:
            return None
        try:
            day = parse_date(text)
            check_as_of(day, self.year)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        counted = data.get("aged_65_up") is not None
        if counted and "as_of" not in self.errors and data.get("as_of") is None:
            self.add_error("as_of", _("基準日を書いてください。"))
        return data


# The pages' rows (entry_views.py): each carries the version of its record as the person read
# it (lib/optimistic.py), so that of two people saving a page at once, the second is told
# instead of undoing the first's figures. The imports check their rows with the plain forms.


class ParticipationRowForm(Versioned, ParticipationForm):
    """An activity's row of the participants page; given its stored figures as `record=` (an
    unsaved one when it has none), it carries the version read."""


class PopulationRowForm(Versioned, PopulationForm):
    """A region's row of the population page; given its stored figure as `record=` (an
    unsaved one when it has none), it carries the version read."""
