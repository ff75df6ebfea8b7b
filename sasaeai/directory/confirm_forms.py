"""Forms of the organisers' confirmation: the ward's season, a region's batch, the code typed
by hand and the organiser's correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.forms import PLAIN, plain_fields

from . import confirm
from .models import Activity, ConfirmationBatch, Status

DATE = {"required": PLAIN["required"], "invalid": _("日付を選んでください。")}


class SeasonForm(forms.Form):
    name = forms.CharField(
        label=_("名前"), max_length=60, error_messages=PLAIN, help_text=_("例: 2026年度 活動確認")
    )
    starts_on = forms.DateField(
        label=_("始まる日"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE
    )
    ends_on = forms.DateField(
        label=_("締め切り日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
        help_text=_("この日が終わると、はがきのQRコードとコードは使えなくなります。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "name")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("締め切り日は、始まる日より後にしてください。"))
        return data


class BatchForm(forms.ModelForm):
    class Meta:
        model = ConfirmationBatch
        fields = ["paper", "by_mail"]
        widgets = {"paper": forms.RadioSelect}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=40,
        error_messages=PLAIN,
        help_text=_("はがきに書いてある10文字です（例: ABCDE-23456）。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = confirm.normalise_code(self.cleaned_data["code"])
        if len(code) != confirm.CODE_LENGTH:
            raise ValidationError(_("コードは英字と数字の10文字です。もう一度たしかめてください。"))
        return code


STATES = [
    ("running", _("続けています")),
    ("paused", _("いまはお休みしています")),
    ("ended", _("活動をやめました")),
]


def listed(activity: Activity) -> dict[str, str]:
    """The listing's fields as the public page shows them, as plain text to correct."""
    schedules = "\n".join(s.in_words() for s in activity.schedules.all())
    places = "\n".join(f"{p.name}（{p.address}）" for p in activity.places.all())
    fee = str(_("無料")) if activity.is_free else activity.fee
    contact = ""
    if activity.contact_public and (activity.contact_phone or activity.contact_email):
        contact = " ".join(
            x for x in (activity.contact_name, activity.contact_phone, activity.contact_email) if x
        )
    state = "paused" if activity.status == Status.PAUSED else "running"
    return {"schedule": schedules, "place": places, "fee": fee, "contact": contact, "state": state}


class CorrectionForm(forms.Form):
    """What the organiser corrects: each field starts as the listing shows it."""

    state = forms.ChoiceField(
        label=_("いまの活動"), choices=STATES, widget=forms.RadioSelect, error_messages=PLAIN
    )
    schedule = forms.CharField(
        label=_("いつ（曜日・時間）"), max_length=300, required=False, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    place = forms.CharField(
        label=_("どこで（場所・住所）"), max_length=300, required=False, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    fee = forms.CharField(label=_("参加費"), max_length=100, required=False, error_messages=PLAIN)
    contact = forms.CharField(
        label=_("案内に載せる連絡先"), max_length=200, required=False, error_messages=PLAIN,
        help_text=_("載せていないときは空です。載せたいときや、変わったときに書いてください。"),
    )  # fmt: skip
    note = forms.CharField(
        label=_("そのほか、伝えたいこと"), max_length=1000, required=False, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    reply_to = forms.CharField(
        label=_("SCから確認するときの連絡先（電話かメール）"), max_length=120, required=False,
        error_messages=PLAIN, help_text=_("書かなくてもかまいません。ほかの人には見せません。"),
    )  # fmt: skip

    FIELDS = ("state", "schedule", "place", "fee", "contact")

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        self.before = listed(activity)
        kwargs.setdefault("initial", self.before)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "schedule", "place", "fee", "contact", "note", "reply_to")
        if not self.errors and not self.changes() and not data.get("note"):
            raise ValidationError(
                _(
                    "変わったところがありません。直したい欄を書きかえるか、「そのほか」に書いてください。"
                    "変わりがないときは、前のページの「変わりありません」を押してください。"
                )
            )
        return data

    def changes(self) -> list[list[str]]:
        """[label, as listed, as corrected] for each field the organiser changed."""
        labels = dict(STATES)
        found = []
        for name in self.FIELDS:
            before = _flat(self.before[name])
            after = _flat(self.cleaned_data.get(name, ""))
            if before == after:
                continue
            if name == "state":
                before, after = str(labels[before]), str(labels.get(after, after))
            found.append([str(self.fields[name].label), before, after])
        return found


def _flat(text: str) -> str:
    """Text compared as the eye reads it: lines and runs of spaces as one space."""
    return " ".join(str(text).split())
