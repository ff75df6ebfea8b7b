from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib.forms import FiscalYearField, plain_fields, plain_text
from sasaeai.lib.optimistic import Versioned

from .models import ConsentMethod, Institution, Outcome, Referral, Status

ONE_LINE = forms.TextInput(attrs={"autocomplete": "off"})


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.kind.name}）"


class ReferralForm(Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())
    institution = InstitutionChoiceField(
        label=_("つなぐ先"), queryset=Institution.objects.none(),
        help_text=_("担当地域の機関が先に並びます。"),
    )  # fmt: skip

    class Meta:
        model = Referral
        fields = [
            "area", "institution", "problem_kind", "person_name", "person_contact",
            "person_address", "problem", "tried", "consent_by", "consent_method",
            "consent_witness", "consent_on", "consent_purpose",
        ]  # fmt: skip
        widgets = {
            "person_name": ONE_LINE,
            "person_contact": ONE_LINE,
            "person_address": ONE_LINE,
            "consent_witness": ONE_LINE,
            "problem": forms.Textarea(attrs={"rows": 5}),
            "tried": forms.Textarea(attrs={"rows": 3}),
            "consent_purpose": forms.Textarea(attrs={"rows": 2}),
            "consent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "person_contact": _("電話番号など、機関が連絡をとるのに必要なものだけ。"),
            "problem": _("つなぐために必要なことだけを書きます。"),
            "consent_purpose": _("例: おとしより相談センターに介護の相談をつなぐため"),
            "consent_on": _("同意が記録されるまで、送ることはできません。"),
        }

    def __init__(
        self, *args: Any, areas: QuerySet[Area], institutions: QuerySet[Institution], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        for name in ("consent_by", "consent_method"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "person_name", "person_contact", "person_address", "problem",
                     "tried", "consent_witness", "consent_purpose")  # fmt: skip
        area, institution = data.get("area"), data.get("institution")
        if area and institution and institution.municipality_id != (area.municipality_id or 0):
            self.add_error("institution", _("この地域の自治体の機関を選んでください。"))
        if data.get("consent_on") and data["consent_on"] > timezone.localdate():
            self.add_error("consent_on", _("未来の日付は入れられません。"))
        if data.get("consent_method") == ConsentMethod.VERBAL and not data.get("consent_witness"):
            self.add_error("consent_witness", _("口頭の同意には立会人の名前が必要です。"))
        return data


class SendForm(forms.Form):
    note = forms.CharField(
        label=_("機関へのひとこと"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AnswerForm(forms.Form):
    to = forms.ChoiceField(label=_("次の状態"))
    outcome = forms.ChoiceField(
        label=_("結果（終了のとき）"), required=False,
        choices=[("", _("（選ばない）")), *[c for c in Outcome.choices if c[0] != "withdrawn"]],
    )  # fmt: skip
    note = forms.CharField(
        label=_("メモ"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("差し戻すときは理由を書きます。"),
    )  # fmt: skip

    def __init__(self, *args: Any, referral: Referral, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["to"].choices = referral.allowed_answers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to") == Status.CLOSED and not data.get("outcome"):
            self.add_error("outcome", _("終了するときは結果を選んでください。"))
        if data.get("to") == Status.RETURNED and not (data.get("note") or "").strip():
            self.add_error("note", _("差し戻す理由を書いてください。"))
        plain_fields(self, data, "note")
        return data


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("ご本人が同意を撤回したので、個人情報を今すぐ削除します（元に戻せません）"),
        error_messages={"required": _("確認のチェックを入れてください。")},
    )


# How a 年度 reads (figures.IN_YEAR); the first is what a year alone means.
IN_YEAR_CHOICES = [
    ("sent", _("年度中に初めて送ったつなぎ")),
    ("closed", _("年度中に終了したつなぎ")),
    ("open", _("年度末（今年度は今日）に送付済みで、終わっていなかったつなぎ")),
]


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), required=False,
        choices=[("", _("すべて")), ("open", _("対応中のもの")), *Status.choices],
        error_messages={"invalid_choice": _("状態は一覧から選んでください。")},
    )  # fmt: skip
    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField()
    in_year = forms.ChoiceField(
        label=_("年度で見るつなぎ"), required=False, choices=IN_YEAR_CHOICES,
        help_text=_("「年度」を選んだときに使います。下書きは入りません。"),
        error_messages={"invalid_choice": _("年度で見るつなぎは一覧から選んでください。")},
    )  # fmt: skip

    field_order = ["area", "status", "year", "in_year"]

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


class ResendForm(ReferralForm):
    """The returned referral, corrected, and a word to the institution it now goes to."""

    note = forms.CharField(
        label=_("機関へのひとこと"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data["note"])
