"""What the staff list of activities can be narrowed to: words, area, status, kind, 通いの場,
and a 年度 read as the figures read it (figures.IN_YEAR), so that a figure's link lists
exactly the activities it counts (?kind=…&kayoi=1&year=2025&in_year=new)."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib.forms import FiscalYearField
from sasaeai.lib.indicators import Scope

from .figures import IN_YEAR
from .kayoi import only_kayoi
from .models import ActivityQuerySet, Kind, Status
from .search import match_q, query_tokens


class Flag(forms.CheckboxInput):
    """A checkbox a link may also set with 1 and clear with 0 (?kayoi=1), as the box sends on."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return str(data.get(name, "")).lower() not in ("", "0", "false", "off")


class KindFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


# How a 年度 is read; the first is what a year alone means.
IN_YEAR_CHOICES = [
    ("known", _("年度末（今年度は今日）にあった活動")),
    ("new", _("年度中に登録した活動")),
    ("ended", _("年度中に終了した活動")),
]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("ことば"), required=False, max_length=100)
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none(), required=False,
                           empty_label=_("すべて"))  # fmt: skip
    status = forms.ChoiceField(label=_("状態"), required=False)
    kind = KindFilterField(
        label=_("活動の種類"), queryset=Kind.objects.none(), required=False,
        empty_label=_("すべて"),
        error_messages={"invalid_choice": _("活動の種類は一覧から選んでください。")},
    )  # fmt: skip
    kayoi = forms.BooleanField(
        label=_("通いの場だけ"), required=False, widget=Flag,
        help_text=_("場所があり、月1回以上の日程がある活動です。"),
    )  # fmt: skip
    year = FiscalYearField()
    in_year = forms.ChoiceField(
        label=_("年度で見る活動"), required=False, choices=IN_YEAR_CHOICES,
        help_text=_("「年度」を選んだときに使います。"),
        error_messages={"invalid_choice": _("年度で見る活動は一覧から選んでください。")},
    )  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], kinds: QuerySet[Kind], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("すべて")), *Status.choices]  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("in_year") in ("new", "ended") and "year" in data and data["year"] is None:
            self.add_error("year", _("年度を選んでください。"))
        return data


def narrow(
    activities: ActivityQuerySet, data: dict[str, Any], municipalities: list[int]
) -> ActivityQuerySet:
    """The activities that match a valid form's `data` (`municipalities`: whose words to
    search)."""
    if data["area"]:
        activities = activities.filter(area__in=Area.objects.within(data["area"]))
    if data["status"]:
        activities = activities.filter(status=data["status"])
    if data["kind"]:
        activities = activities.filter(kinds=data["kind"])
    if data["year"] is not None:
        scope = Scope((), (data["year"],), timezone.localdate())
        reading = IN_YEAR[data["in_year"] or "known"]
        activities = activities.filter(reading(scope, data["year"]))
    if data["kayoi"]:
        activities = only_kayoi(activities)
    # The words last: their match names the activity table in SQL of its own, which a subquery
    # of the filters before (only_kayoi's) could not alias.
    if data["q"] and (words := _words(data["q"], municipalities)) is not None:
        activities = activities.filter(words)
    return activities


def _words(query: str, municipalities: list[int]) -> Q | None:
    """Activities holding the words in one of `municipalities`, read as the public search
    reads them there (`query_tokens`: the words, their reading and the municipality's own
    synonyms, so that マージャン finds 麻雀); None for words without a token."""
    codes = dict(Area.objects.filter(pk__in=municipalities).values_list("pk", "code"))
    towns: dict[tuple[str, ...], list[int]] = {}  # the municipalities that read them alike
    for municipality in municipalities:
        if tokens := tuple(query_tokens(query, codes.get(municipality, ""))):
            towns.setdefault(tokens, []).append(municipality)
    if not towns:
        return None
    return reduce(or_, (match_q(list(tokens), ids) for tokens, ids in towns.items()))
