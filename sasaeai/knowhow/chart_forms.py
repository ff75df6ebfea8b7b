"""Opening a forum chart, and one tap of its tally."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting
from sasaeai.lib.forms import PLAIN, plain_fields

from .chart_services import ADD, UNDO
from .models import ChartAnswer, ChartRow, ForumChart


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%Y/%m/%d} {obj.council.name} {obj.title}"


class ChartForm(forms.ModelForm):
    """A chart's title, day and region (those the facilitator may tally for), and optionally
    the council meeting of that region it belongs to."""

    meeting = MeetingChoice(
        label=_("支え合い会議の会議（会議で使うときだけ）"), queryset=Meeting.objects.none(),
        required=False, empty_label=_("会議ではない（フォーラムなど）"),
    )  # fmt: skip

    class Meta:
        model = ForumChart
        fields = ["title", "held_on", "area", "meeting"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"title": _("例：高島平 支え合いフォーラム 2026")}

    def __init__(
        self, *args: Any, regions: QuerySet[Area], meetings: QuerySet[Meeting], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **PLAIN}
        self.fields["title"].error_messages["required"] = _("題名を書いてください。")
        self.fields["held_on"].error_messages["invalid"] = _("日付を選んでください。")
        self.fields["area"].queryset = regions  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title")
        meeting, area = data.get("meeting"), data.get("area")
        if meeting and area and meeting.council.area_id != area.pk:
            self.add_error("meeting", _("選んだ地域の支え合い会議の会議を選んでください。"))
        return data


class TapForm(forms.Form):
    """One tap: the cell, +1 or undo, and the token the button carried (new at each page)."""

    token = forms.UUIDField()
    row = forms.ChoiceField(choices=ChartRow.choices)
    answer = forms.ChoiceField(choices=ChartAnswer.choices)
    action = forms.ChoiceField(choices=[(ADD, ADD), (UNDO, UNDO)])
