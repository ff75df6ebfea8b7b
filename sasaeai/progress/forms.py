"""Forms of the route: a goal, its status, a milestone, a comment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.councils.models import Decision
from sasaeai.directory.models import Activity
from sasaeai.lib.fiscal import fiscal_year_of, year_label
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.optimistic import Versioned
from sasaeai.needs.models import Helper, Need

from .models import INITIATIVE_GROUPS, Goal, GoalStatus, Milestone

# How far back and ahead a goal's 年度 may be set.
YEARS_BACK, YEARS_AHEAD = 5, 1
# Decisions and needs offered for linking: those of the last few years.
RECENT_YEARS = 3


class DecisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.minutes.meeting.date:%Y-%m-%d} {obj.text[:60]}"


class GoalForm(Versioned, forms.ModelForm):
    started_year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    class Meta:
        model = Goal
        fields = [
            "started_year", "title", "why", "initiative", "stage", "decision", "public",
            "activities", "needs", "helpers",
        ]  # fmt: skip
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "helpers": forms.CheckboxSelectMultiple,
        }
        field_classes = {"decision": DecisionField}

    def __init__(self, *args: Any, region: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(PLAIN)
        now = fiscal_year_of(timezone.localdate())
        self.fields["started_year"].choices = [  # type: ignore[attr-defined]
            (y, year_label(y)) for y in range(now + YEARS_AHEAD, now - YEARS_BACK - 1, -1)
        ]
        self.fields["initiative"].choices = [  # type: ignore[attr-defined]
            (str(group), [(i.value, i.label) for i in items]) for group, items in INITIATIVE_GROUPS
        ]
        since = timezone.localdate() - dt.timedelta(days=365 * RECENT_YEARS)
        self._choose(
            "decision",
            (
                Decision.objects.filter(minutes__meeting__council__area=region)
                .filter(Q(minutes__meeting__date__gte=since) | Q(goals=self.instance.pk or 0))
                .distinct()
                .select_related("minutes__meeting")
                .order_by("-minutes__meeting__date", "order")
            ),
        )
        self.fields["decision"].required = False
        self._choose("activities", Activity.objects.filter(area=region).order_by("name"))
        self._choose(
            "needs",
            (
                Need.objects.filter(area=region)
                .filter(Q(reported_on__gte=since) | Q(goals=self.instance.pk or 0))
                .distinct()
                .order_by("-reported_on")
            ),
        )
        self._choose("helpers", Helper.objects.active().filter(area=region))
        for name in ("activities", "needs", "helpers"):
            self.fields[name].required = False
        if self.instance.pk is None:
            self.initial["started_year"] = now

    def _choose(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # and ModelMultipleChoiceField
        field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "why")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=GoalStatus.choices)
    reason = forms.CharField(
        label=_("見直しの理由"), max_length=300, required=False,
        help_text=_("「見直し」にするときに書いてください。"),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "reason")
        if data.get("status") == GoalStatus.REVIEW and not data.get("reason"):
            self.add_error("reason", _("見直しの理由を書いてください。"))
        return data


class MilestoneForm(Versioned, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("コメント"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "text")
        return data
