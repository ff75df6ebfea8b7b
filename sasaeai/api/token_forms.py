"""The forms of the token page (token_views.py): a new token's name, expiry and scopes, and
which token to revoke. tokens.make checks the same rules again; the form says what is wrong
next to each field, in Japanese, before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LONGEST, Scope

DEFAULT_DAYS = 90
# The parts of sasaeai a token may read or write, as the page groups its scopes.
PARTS = {
    "directory": gettext_lazy("活動・場所・日程"),
    "councils": gettext_lazy("支え合い会議"),
    "needs": gettext_lazy("困りごと"),
    "events": gettext_lazy("研修・催し"),
    "support": gettext_lazy("支援の依頼"),
}


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("名前"),
        max_length=100,
        help_text=gettext_lazy("何に使うトークンか、あとで分かる名前（例：活動一覧の取り込み）"),
        error_messages={"required": gettext_lazy("名前を入れてください。")},
    )
    expires_on = forms.DateField(
        label=gettext_lazy("有効期限"),
        initial=default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("この日の終わりまで使えます。最長で1年後までです。"),
        error_messages={
            "required": gettext_lazy("有効期限の日を入れてください。"),
            "invalid": gettext_lazy("有効期限は「2026-03-31」のような日付で入れてください。"),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("できること"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("スクリプトに必要なものだけを選んでください。"),
        error_messages={
            "required": gettext_lazy("できることを1つ以上選んでください。"),
            "invalid_choice": gettext_lazy("選べない項目が送られました。"),
        },
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("名前を入れてください。"))
        return name

    def clean_expires_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        last = today + LONGEST
        if day <= today:
            raise forms.ValidationError(_("有効期限は明日以降の日にしてください。"))
        if day > last:
            raise forms.ValidationError(
                _("有効期限は1年後（%(last)s）までの日にしてください。")
                % {"last": date_format(last, "Y年n月j日")}
            )
        return day

    def scope_groups(self) -> list[tuple[Any, list[BoundWidget]]]:
        """The scope checkboxes by part (活動, 会議, …), read before write."""
        boxes: dict[str, list[BoundWidget]] = {part: [] for part in PARTS}
        for box in self["scopes"]:
            boxes[str(box.data["value"]).split(":")[0]].append(box)
        return [(PARTS[part], found) for part, found in boxes.items() if found]


class RevokeForm(forms.Form):
    token = forms.IntegerField(min_value=1, max_value=2**31 - 1)
