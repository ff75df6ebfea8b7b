"""Forms of helpers, peer calls (仲間募集), matching and introductions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib.forms import PLAIN, FiscalYearField, plain_text
from sasaeai.lib.honeypot import Honeypot
from sasaeai.lib.optimistic import Versioned

from .forms import PlainWords
from .models import ConsentHow, Helper, NeedKind, Outcome, PeerCall
from .models.helpers import DAYPARTS, WEEKDAYS

WEEKDAY_CHOICES = [(str(d), f"{name}曜") for d, name in enumerate(WEEKDAYS)]
DAYPART_CHOICES = [(str(bit), label) for bit, label in DAYPARTS]


def to_bits(values: list[str]) -> int:
    bits = 0
    for value in values:
        bits |= int(value) if value.isdigit() else 0
    return bits


def weekday_bits(values: list[str]) -> int:
    return sum(1 << int(v) for v in set(values) if v.isdigit() and 0 <= int(v) <= 6)


def from_bits(weekdays: int, dayparts: int) -> dict[str, list[str]]:
    return {
        "weekdays": [str(d) for d in range(7) if weekdays & (1 << d)],
        "dayparts": [str(bit) for bit, _label in DAYPARTS if dayparts & bit],
    }


class KindsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class WhenFields(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("できる曜日"), choices=WEEKDAY_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip
    dayparts = forms.MultipleChoiceField(
        label=_("できる時間帯"), choices=DAYPART_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip


class PublicHelperForm(PlainWords, Honeypot, WhenFields):
    """/needs/helpers/new/: a resident offers time or skills. Plain words, no account."""

    area = forms.ModelChoiceField(
        label=_("お住まいの地域"), queryset=Area.objects.none(), to_field_name="code",
        empty_label=_("選んでください"),
        error_messages={**PLAIN, "required": _("地域を選んでください。")},
    )  # fmt: skip
    kinds = KindsField(
        label=_("手伝えること"), queryset=NeedKind.objects.none(), to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={**PLAIN, "required": _("手伝えることを1つ以上選んでください。"),
                        "invalid_choice": _("選びなおしてください。")},
    )  # fmt: skip
    what = forms.CharField(
        label=_("できること・得意なことを教えてください"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages=PLAIN,
        help_text=_("例: 電球の交換ができます。月に2回くらいなら買い物に付き添えます。"),
    )  # fmt: skip
    name = forms.CharField(label=_("お名前"), max_length=60, error_messages=PLAIN)
    contact = forms.CharField(
        label=_("電話番号かメールアドレス"), max_length=120, error_messages=PLAIN,
        help_text=_("地域のコーディネーターだけが見ます。公開はしません。"),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("地域のコーディネーターが、この内容を手伝いのお願いのために使い、連絡することに同意します"),
        error_messages={"required": _("登録するには、同意のチェックが必要です。")},
    )  # fmt: skip
    field_order = ["area", "kinds", "what", "weekdays", "dayparts", "name", "contact", "consent"]

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
        self.fields["area"].queryset = regions  # type: ignore[attr-defined]
        self.fields["kinds"].queryset = NeedKind.objects.of(municipality)  # type: ignore[attr-defined]

    def helper(self) -> Helper:
        data = self.cleaned_data
        return Helper(
            area=data["area"], what=data["what"], name=data["name"], contact=data["contact"],
            weekday_bits=weekday_bits(data["weekdays"]), daypart_bits=to_bits(data["dayparts"]),
            consent_how=ConsentHow.WEB_FORM,
        )  # fmt: skip


class HelperForm(PlainWords, Versioned, WhenFields):
    """An SC enters (or corrects) a helper, with how the person agreed; given the helper as
    `record=`, it carries the version read (lib/optimistic.py)."""

    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())
    kinds = KindsField(
        label=_("手伝えること（種類）"), queryset=NeedKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    what = forms.CharField(
        label=_("できること・得意なこと"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    latitude = forms.FloatField(
        label=_("おおよその緯度"), required=False, min_value=20, max_value=46,
        help_text=_("距離の計算だけに使います。住所ではなく、町丁目くらいの位置で十分です。"),
    )  # fmt: skip
    longitude = forms.FloatField(label=_("おおよその経度"), required=False, min_value=122,
                                 max_value=154)  # fmt: skip
    name = forms.CharField(label=_("お名前"), max_length=60)
    contact = forms.CharField(label=_("連絡先（電話かメール）"), max_length=120)
    consent_how = forms.ChoiceField(label=_("同意の取り方"), choices=ConsentHow.choices)
    consent = forms.BooleanField(
        label=_("本人が、登録と連絡に同意したことを確認した"),
        error_messages={"required": _("本人の同意を確認してから登録してください。")},
    )  # fmt: skip

    field_order = ["area", "kinds", "what", "weekdays", "dayparts", "latitude", "longitude",
                   "name", "contact", "consent_how", "consent"]  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.exclude(kind="municipality").order_by("path")  # type: ignore[attr-defined]
        self.fields["kinds"].queryset = NeedKind.objects.of(municipality)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("緯度と経度は両方入れるか、両方空にしてください。"))
        return data

    def fill(self, helper: Helper) -> Helper:
        data = self.cleaned_data
        for name in ("area", "what", "latitude", "longitude", "name", "contact", "consent_how"):
            setattr(helper, name, data[name])
        helper.weekday_bits = weekday_bits(data["weekdays"])
        helper.daypart_bits = to_bits(data["dayparts"])
        return helper

    @staticmethod
    def initial_for(helper: Helper) -> dict[str, Any]:
        return {
            "area": helper.area_id, "kinds": list(helper.kinds.all()), "what": helper.what,
            "latitude": helper.latitude, "longitude": helper.longitude, "name": helper.name,
            "contact": helper.contact, "consent_how": helper.consent_how, "consent": True,
            **from_bits(helper.weekday_bits, helper.daypart_bits),
        }  # fmt: skip


class PublicRemovalForm(PlainWords, Honeypot):
    """/needs/helpers/remove/: the receipt number and the contact they registered with."""

    receipt = forms.CharField(
        label=_("登録番号"), max_length=24, error_messages=PLAIN,
        help_text=_("登録したときに表示された番号です（例: H-2026-0001-123）。"),
    )  # fmt: skip
    contact = forms.CharField(
        label=_("登録した電話番号かメールアドレス"), max_length=120, error_messages=PLAIN
    )

    def clean_receipt(self) -> str:
        return plain_text(self.cleaned_data.get("receipt", "")).upper()


class PeerCallForm(PlainWords, Versioned, forms.ModelForm):
    class Meta:
        model = PeerCall
        fields = ["looking_for", "what", "when", "until"]
        widgets = {"until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "what": _("例: お茶の準備を手伝ってくれる方、将棋の相手"),
            "when": _("例: 毎週水曜の午後"),
            "until": _("空のままなら、取り下げるまで載せます。"),
        }

    def clean_when(self) -> str:
        return plain_text(self.cleaned_data.get("when", ""))

    def clean_until(self) -> Any:
        day = self.cleaned_data.get("until")
        if day and day < timezone.localdate():
            raise ValidationError(_("締め切りに過去の日付は入れられません。"))
        return day


class MatchForm(WhenFields):
    """When the person needs it, if known: suggestions that fit those times come first."""

    weekdays = forms.MultipleChoiceField(
        label=_("希望の曜日"), choices=WEEKDAY_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    dayparts = forms.MultipleChoiceField(
        label=_("希望の時間帯"), choices=DAYPART_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class IntroductionForm(forms.Form):
    """Record an introduction from a suggestion: what is introduced comes as hidden fields."""

    activity = forms.IntegerField(required=False, widget=forms.HiddenInput)
    helper = forms.IntegerField(required=False, widget=forms.HiddenInput)
    peer_call = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reasons = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    on = forms.DateField(label=_("紹介した日"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label=_("結果"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("メモ"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_on(self) -> Any:
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise ValidationError(_("未来の日付は入れられません。"))
        return day

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data.get("note", ""))

    def clean_reasons(self) -> str:
        return plain_text(self.cleaned_data.get("reasons", ""))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("結果"), choices=Outcome.choices)


class IntroductionFilterForm(forms.Form):
    """The list of introductions: of an area, made in a 年度, with an outcome."""

    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField(label=_("紹介した年度"))
    outcome = forms.ChoiceField(
        label=_("結果"), required=False, choices=[("", _("すべて")), *Outcome.choices],
        error_messages={"invalid_choice": _("結果は一覧から選んでください。")},
    )  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
