from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council, Meeting
from sasaeai.lib.forms import FiscalYearField, plain_fields, plain_text
from sasaeai.lib.optimistic import Versioned
from sasaeai.needs.models import Need

from .models import Kind, Status, SupportRequest, Venue, VenueKind, grouped_topics

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.area.name}）"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        day = obj.date
        return f"{obj.council.name} 第{obj.number}回（{day.year}年{day.month}月{day.day}日）"


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        what = obj.what if len(obj.what) <= 30 else obj.what[:30] + "…"
        return f"{obj.number} {what}"


class RequestForm(forms.ModelForm):
    council = CouncilChoiceField(
        label=_("依頼する会議"), queryset=Council.objects.none(), empty_label=_("選んでください")
    )
    topic = forms.ChoiceField(
        label=_("何の応援か"), choices=[("", _("選んでください")), *grouped_topics()],
        help_text=_("ガイドブックの「学び合う・支え合う・つなぎ合う・出し合う」から選びます。"),
    )  # fmt: skip
    meeting = MeetingChoiceField(
        label=_("話し合った会議（あれば）"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("（選ばない）"),
    )
    need = NeedChoiceField(
        label=_("もとの困りごと（あれば）"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("（選ばない）"),
    )

    class Meta:
        model = SupportRequest
        fields = ["council", "topic", "title", "detail", "needed_by", "meeting", "need"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "detail": forms.Textarea(attrs={"rows": 5}),
            "needed_by": DATE,
        }
        help_texts = {
            "title": _("例: 10月の交流会で受付を手伝ってほしい"),
            "detail": _("いつ・どこで・何人くらい・どんなことを、わかる範囲で書きます。"),
            "needed_by": _("決まっていなければ空けておきます。"),
        }

    def __init__(
        self, *args: Any, councils: QuerySet[Council], meetings: QuerySet[Meeting],
        needs: QuerySet[Need], **kw: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kw)
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]
        if councils.count() == 1:
            self.fields["council"].initial = councils.first()
            self.fields["council"].empty_label = None  # type: ignore[attr-defined]

    def clean_needed_by(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("needed_by")
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("今日より前の日付は選べません。"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "detail")
        council, meeting, need = data.get("council"), data.get("meeting"), data.get("need")
        if council and meeting and meeting.council_id != council.pk:
            self.add_error("meeting", _("依頼する会議の回を選んでください。"))
        if council and need and not council.area.contains(need.area):
            self.add_error("need", _("依頼する会議の地域の困りごとを選んでください。"))
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("メッセージ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("メッセージを書いてください。")},
    )  # fmt: skip

    def clean_body(self) -> str:
        return plain_text(self.cleaned_data["body"])


class StepForm(forms.Form):
    """The note of one ward-side step; `to` (checked by the view) says which step."""

    note = forms.CharField(
        label=_("結果のメモ（あれば）"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, to: str, **kw: Any) -> None:
        kw["auto_id"] = f"{to}-%s"  # several step forms on one page
        super().__init__(*args, **kw)
        self.to = to
        if to == Status.DECLINED:
            note = self.fields["note"]
            note.label = _("お断りの理由")
            note.required = True
            note.error_messages["required"] = _("お断りするときは、理由を書いてください。")
            note.help_text = _("会議の側に、この理由がそのまま伝わります。")

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data.get("note") or "")


# How a 年度 reads (figures.IN_YEAR); the first is what a year alone means.
IN_YEAR_CHOICES = [
    ("asked", _("年度中に受けた依頼")),
    ("open", _("年度末（今年度は今日）に終わっていなかった依頼")),
]


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("応援の種類"), required=False, choices=[("", _("すべて")), *Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, initial="open",
        choices=[("open", _("終わっていないもの")), ("", _("すべて")), *Status.choices],
    )  # fmt: skip
    age = forms.TypedChoiceField(
        label=_("依頼からの日数"), required=False, coerce=int, empty_value=None,
        choices=[("", _("指定しない")), ("7", _("7日以上")), ("30", _("30日以上")),
                 ("90", _("90日以上"))],
    )  # fmt: skip
    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField()
    in_year = forms.ChoiceField(
        label=_("年度で見る依頼"), required=False, choices=IN_YEAR_CHOICES,
        help_text=_("「年度」を選んだときに使います。"),
        error_messages={"invalid_choice": _("年度で見る依頼は一覧から選んでください。")},
    )  # fmt: skip

    field_order = ["area", "kind", "status", "age", "year", "in_year"]

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


class VenueForm(Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none(), empty_label=None)

    class Meta:
        model = Venue
        fields = [
            "kind", "name", "area", "address", "specialty", "capacity", "latitude", "longitude",
            "notes", "is_active",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "latitude": _("地図に置くとき。例: 35.7890"),
            "longitude": _("地図に置くとき。例: 139.6590"),
        }

    def __init__(self, *args: Any, areas: list[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        area_field = self.fields["area"]
        area_field.queryset = Area.objects.filter(  # type: ignore[attr-defined]
            pk__in=[a.pk for a in areas]
        ).order_by("sort_order", "path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "name", "address", "specialty", "notes")
        if data.get("kind") == VenueKind.PROFESSIONAL and not data.get("specialty"):
            self.add_error("specialty", _("専門職のときは、専門を書いてください。"))
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude", _("緯度と経度は両方とも入れてください。"))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("緯度は -90〜90 の数です。"))
        if lng is not None and not -180 <= lng <= 180:
            self.add_error("longitude", _("経度は -180〜180 の数です。"))
        return data


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.council.name}: {obj.title}"


class BookingForm(forms.Form):
    """One booking on one day, from a start time to an end time."""

    day = forms.DateField(label=_("日付"), widget=DATE)
    starts = forms.TimeField(
        label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("終了時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    purpose = forms.CharField(
        label=_("使いみち"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("例: 高島平 支え合い会議の交流会"),
    )  # fmt: skip
    for_request = RequestChoiceField(
        label=_("応えている依頼（あれば）"), queryset=SupportRequest.objects.none(),
        required=False, empty_label=_("（選ばない）"),
    )  # fmt: skip

    def __init__(self, *args: Any, requests: QuerySet[SupportRequest], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["for_request"].queryset = requests  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "purpose")
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("終了時刻は開始時刻より後にしてください。"))
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(day, starts, tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(day, ends, tzinfo=tz)
            if data["ends_at"] <= timezone.now():
                self.add_error("day", _("過ぎた時間は予約できません。"))
        return data


class CalendarForm(forms.Form):
    month = forms.CharField(
        label=_("月"), required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("例: 2026-05"),
    )  # fmt: skip
    venue = forms.ModelChoiceField(
        label=_("施設・専門職"), queryset=Venue.objects.none(), required=False,
        empty_label=_("すべて"),
    )  # fmt: skip

    def __init__(self, *args: Any, venues: QuerySet[Venue], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["venue"].queryset = venues  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return timezone.localdate().replace(day=1)
        try:
            year, month = (int(part) for part in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            raise ValidationError(_("月は 2026-05 のように書いてください。")) from None
