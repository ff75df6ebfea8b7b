from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity
from sasaeai.lib.forms import PLAIN, plain_text
from sasaeai.lib.honeypot import Honeypot
from sasaeai.lib.optimistic import Versioned

from .models import TRANSITIONS, Need, NeedKind, Status

CONSENT_NEEDED = _(
    "お名前や連絡先を残すときは、「コーディネーターから連絡してもよい」にチェックを入れてください。"
)


class PlainWords:
    """What people write in the usual free-text fields, as plain text (no markup): for the
    fields of these names a form has."""

    cleaned_data: dict[str, Any]

    def clean_what(self) -> str:
        return plain_text(self.cleaned_data.get("what", ""))

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data.get("name", ""))

    def clean_contact(self) -> str:
        return plain_text(self.cleaned_data.get("contact", ""))


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PublicNeedForm(PlainWords, Honeypot):
    """What a resident sends from /needs/new/: no account, few fields, plain words."""

    area = forms.ModelChoiceField(
        label=_("お住まいの地域"), queryset=Area.objects.none(), to_field_name="code",
        empty_label=_("選んでください"),
        error_messages={**PLAIN, "required": _("地域を選んでください。")},
        help_text=_("わからないときは、いちばん近いと思う地域を選んでください。"),
    )  # fmt: skip
    kind = KindChoiceField(
        label=_("どんなことで困っていますか"), queryset=NeedKind.objects.none(),
        to_field_name="code", widget=forms.RadioSelect, empty_label=None,
        error_messages={**PLAIN, "required": _("いちばん近いものを1つ選んでください。")},
    )  # fmt: skip
    what = forms.CharField(
        label=_("困っていることを教えてください"), max_length=1000, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("病気や介護のくわしいこと、ほかの人のお名前は書かないでください。"),
    )  # fmt: skip
    contact_ok = forms.BooleanField(
        label=_("コーディネーターから連絡してもよい"), required=False,
        help_text=_("チェックを入れたときだけ、お名前と連絡先を書いてください。"),
    )  # fmt: skip
    name = forms.CharField(label=_("お名前"), max_length=60, required=False, error_messages=PLAIN)
    contact = forms.CharField(
        label=_("電話番号かメールアドレス"), max_length=120, required=False, error_messages=PLAIN
    )

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
        self.fields["area"].queryset = regions  # type: ignore[attr-defined]
        self.fields["kind"].queryset = NeedKind.objects.of(municipality)  # type: ignore[attr-defined]
        # With JavaScript, choosing a region shows its centre at once (without, on sending).
        self.fields["area"].widget.attrs.update({
            "hx-get": reverse("needs:new"), "hx-trigger": "change",
            "hx-target": "#need-centre", "hx-swap": "innerHTML",
        })  # fmt: skip

    def region(self) -> Area | None:
        """The region chosen (or given as the page's ?area=), if it is one of the choices:
        the page names that region's consultation centre."""
        code = self.data.get("area") if self.is_bound else self.initial.get("area")
        if not code or not isinstance(code, str):
            return None
        return self.fields["area"].queryset.filter(code=code).first()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_ok"):
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", _("連絡してよい場合は、お名前を書いてください。"))
            if not data.get("contact") and "contact" not in self.errors:
                self.add_error(
                    "contact", _("連絡してよい場合は、電話番号かメールを書いてください。")
                )
        elif data.get("name") or data.get("contact"):
            self.add_error("contact_ok", CONSENT_NEEDED)
        return data

    def need(self) -> Need:
        data = self.cleaned_data
        return Need(
            area=data["area"],
            kind=data["kind"],
            what=data["what"],
            reporter_consent=data["contact_ok"],
            reporter_name=data["name"] if data["contact_ok"] else "",
            reporter_contact=data["contact"] if data["contact_ok"] else "",
        )


class NeedForm(PlainWords, Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())
    kind = KindChoiceField(label=_("種類"), queryset=NeedKind.objects.none())

    class Meta:
        model = Need
        fields = [
            "area", "kind", "what", "source", "people_count", "urgency", "reported_on",
            "reporter_consent", "reporter_name", "reporter_contact",
        ]  # fmt: skip
        widgets = {
            "what": forms.Textarea(attrs={"rows": 5}),
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "what": _("病気や介護のくわしいことは書きません（それは専門職へのつなぎで扱います）。"),
            "reporter_name": _("本人の同意があるときだけ書きます。なければ匿名のままにします。"),
        }

    def __init__(self, *args: Any, areas: QuerySet[Area], municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
        self.fields["kind"].queryset = NeedKind.objects.of(municipality)  # type: ignore[attr-defined]

    def clean_reporter_name(self) -> str:
        return plain_text(self.cleaned_data.get("reporter_name", ""))

    def clean_reporter_contact(self) -> str:
        return plain_text(self.cleaned_data.get("reporter_contact", ""))

    def clean_people_count(self) -> int:
        count = self.cleaned_data.get("people_count") or 0
        if count < 1:
            raise ValidationError(_("1人以上の数を入れてください。"))
        return count

    def clean_reported_on(self) -> Any:
        day = self.cleaned_data.get("reported_on")
        if day and day > timezone.localdate():
            raise ValidationError(_("受け付けた日に未来の日付は入れられません。"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("reporter_name") or data.get("reporter_contact")
        if named and not data.get("reporter_consent"):
            self.add_error("reporter_consent", CONSENT_NEEDED)
        return data


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.council.name} {obj.title}（{obj.date:%Y-%m-%d}）"


class StatusForm(forms.Form):
    """One step along the need's path, with what that step must record."""

    to = forms.ChoiceField(label=_("次の状態"))
    on = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    meeting = MeetingChoiceField(
        label=_("話し合った会議"), queryset=Meeting.objects.none(), required=False,
        empty_label=_("（選ばない）"),
    )  # fmt: skip
    activity = forms.ModelChoiceField(
        label=_("つないだ活動・始まった活動"), queryset=Activity.objects.none(), required=False,
        empty_label=_("（選ばない）"),
        help_text=_("「今ある活動につないだ」ときは必ず選びます。"),
    )  # fmt: skip
    referred_to = forms.CharField(
        label=_("つないだ先"), max_length=200, required=False,
        help_text=_("例: おとしより相談センター高島平（個人の病気や介護のことは書きません）"),
    )  # fmt: skip
    note = forms.CharField(
        label=_("メモ"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「今は対応できない」ときは理由を書きます。"),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        need: Need,
        meetings: QuerySet[Meeting],
        activities: QuerySet[Activity],
        **kw: Any,
    ) -> None:
        kw.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kw)
        self.need = need
        self.fields["to"].choices = need.allowed_transitions()  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]

    def clean_on(self) -> Any:
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise ValidationError(_("未来の日付は入れられません。"))
        if day and day < self.need.reported_on:
            raise ValidationError(_("受け付けた日より前の日付は入れられません。"))
        return day

    def clean_referred_to(self) -> str:
        return plain_text(self.cleaned_data.get("referred_to", ""))

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data.get("note", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        required = TRANSITIONS.get(data.get("to", ""), {}).get("needs", set())
        if "activity" in required and not data.get("activity"):
            self.add_error("activity", _("つないだ活動を選んでください。"))
        if "referred_to" in required and not data.get("referred_to"):
            self.add_error("referred_to", _("つないだ先を書いてください。"))
        if "note" in required and not data.get("note"):
            self.add_error("note", _("理由をメモに書いてください。"))
        return data


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("再開する理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data.get("note", ""))


STATUS_FILTERS = [("", _("すべて")), ("open", _("対応中（未対応・話し合った）")), *Status.choices]
# Which day of a need the period is about: the day it came in, or a day it was met (a step to
# one of MET_STATUSES, as the figures count them).
DATED_CHOICES = [("", _("受け付けた日")),
                 ("met", _("応えた日（活動・新しい活動・専門職につないだ日）"))]  # fmt: skip


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("期間（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("期間（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("終わりの日は始まりの日より後にしてください。"))
        return data


class FilterForm(PeriodForm):
    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて")
    )
    kind = KindChoiceField(
        label=_("種類"), queryset=NeedKind.objects.none(), required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=STATUS_FILTERS)
    dated = forms.ChoiceField(
        label=_("期間で見る日"), required=False, choices=DATED_CHOICES,
        error_messages={"invalid_choice": _("期間で見る日は一覧から選んでください。")},
    )  # fmt: skip
    new_only = forms.BooleanField(label=_("新着だけ"), required=False)

    field_order = ["area", "kind", "status", "dated", "start", "end", "new_only"]

    def __init__(self, *args: Any, areas: QuerySet[Area], kinds: QuerySet[NeedKind], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]


class ReportForm(PeriodForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none(), empty_label=None)

    field_order = ["area", "start", "end"]

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.exclude(kind="unit").order_by("path")  # type: ignore[attr-defined]
