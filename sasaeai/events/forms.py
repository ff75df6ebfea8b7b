from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib import optimistic
from sasaeai.lib.forms import FiscalYearField
from sasaeai.lib.optimistic import Versioned

from .models import Event, EventKind, Material

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MATERIAL_TYPES = {".pdf", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".txt", ".csv",
                  ".jpg", ".jpeg", ".png"}  # fmt: skip
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


class EventForm(Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("対象"), queryset=Area.objects.none(), empty_label=None)

    class Meta:
        model = Event
        fields = ["title", "kind", "area", "organiser", "starts_at", "ends_at", "venue",
                  "address", "latitude", "longitude", "capacity", "deadline", "description",
                  "is_public", "how_to_apply"]  # fmt: skip
        widgets = {
            "starts_at": DATETIME, "ends_at": DATETIME, "deadline": DATETIME,
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip
        error_messages = {
            "title": {"required": _("名称を入れてください。")},
            "organiser": {"required": _("主催を入れてください。")},
            "starts_at": {"required": _("開始日時を入れてください。")},
            "ends_at": {"required": _("終了日時を入れてください。")},
        }

    def __init__(
        self, *args: Any, areas: QuerySet[Area], kinds: QuerySet[EventKind], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].help_text = Event._meta.get_field("area").help_text
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["kind"].empty_label = None  # type: ignore[attr-defined]
        self.fields["latitude"].help_text = _("地図に場所を出すときに入れます（例 35.7890）。")
        self.fields["longitude"].help_text = _("例 139.6590")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了日時は開始日時より後にしてください。"))
        if starts and deadline and deadline > starts:
            self.add_error("deadline", _("申込締切は開始日時より前にしてください。"))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("緯度と経度は両方入れるか、両方空にしてください。"))
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("緯度は -90〜90 の数で入れてください。"))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("経度は -180〜180 の数で入れてください。"))
        if self.instance.pk is None and starts and starts < timezone.now():
            self.add_error("starts_at", _("これからの日時を入れてください。"))
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("中止の理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("SCの方と、公開カレンダーに載せた催しは区民の方も読みます。"
                    "個人の名前や事情は書かないでください（例: 台風が近づいているため）。"),
        error_messages={
            "required": _("中止の理由を入れてください。"),
            "max_length": _("中止の理由は300文字までにしてください。"),
        },
    )  # fmt: skip


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["title", "file"]
        error_messages = {
            "title": {"required": _("資料名を入れてください。")},
            "file": {"required": _("ファイルを選んでください。")},
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in MATERIAL_TYPES:
            raise forms.ValidationError(
                _("PDF・Word・Excel・PowerPoint・画像・テキストのファイルを選んでください。")
            )
        if upload.size > MATERIAL_MAX_BYTES:
            raise forms.ValidationError(_("ファイルは20MBまでにしてください。"))
        return upload


class KindForm(Versioned, forms.ModelForm):
    class Meta:
        model = EventKind
        fields = ["name", "code", "per_block", "outside", "sort_order"]
        error_messages = {
            "name": {"required": _("名称を入れてください。")},
            "code": {
                "required": _("コードを入れてください。"),
                "invalid": _("コードは半角の英数字とハイフンで入れてください。"),
            },
        }

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.municipality = municipality

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = EventKind.objects.filter(municipality=self.municipality, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("このコードはもう使われています。"))
        return code


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class TargetForm(forms.Form):
    """The planned range for one kind."""

    min_count = forms.IntegerField(label=_("最少"), min_value=0, max_value=99, required=False)
    max_count = forms.IntegerField(label=_("最多"), min_value=0, max_value=99, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_count"), data.get("max_count")
        if (low is None) != (high is None):
            raise forms.ValidationError(_("最少と最多は両方入れるか、両方空にしてください。"))
        if low is not None and high is not None and high < low:
            raise forms.ValidationError(_("最多は最少以上にしてください。"))
        return data


class PlanVersionForm(Versioned):
    """The version of a 年度's plan, which its page saves as a whole: the latest save of its
    rows (each save writes every row it keeps), NEW when the year has none yet."""

    def __init__(self, *args: Any, saved: dt.datetime | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read = optimistic.NEW if saved is None else saved
        self.initial["version"] = optimistic.token(saved)

    def refuse_plan(
        self, saved: dt.datetime | None, rows: list[tuple[str, str]], link: str
    ) -> None:
        """Someone saved the plan after this person read it: their input stays, the message,
        the kinds whose saved range differs from it, and the version moved on to now's."""
        data = cast(Any, self.data).copy()
        data["version"] = optimistic.token(saved)
        self.data = data
        self.add_error(None, optimistic.STALE)
        self.stale = optimistic.Saved(rows, link)


class KindFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class HeldForm(forms.Form):
    """The events held in a 年度 (held_views.py), in an area and of a kind."""

    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField(required=True)
    kind = KindFilterField(
        label=_("種類"), queryset=EventKind.objects.none(), required=False,
        empty_label=_("すべて"),
        error_messages={"invalid_choice": _("種類は一覧から選んでください。")},
    )  # fmt: skip

    def __init__(
        self, *args: Any, areas: QuerySet[Area], kinds: QuerySet[EventKind], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
