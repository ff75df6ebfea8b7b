"""Forms of local events: the SC's event form, and the residents' sign-up form (no account,
few fields, plain words, a honeypot)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.honeypot import Honeypot
from sasaeai.lib.optimistic import Versioned

from .forms import DATETIME
from .local_models import MAX_PEOPLE, LocalEvent

EMAIL_INVALID = _("メールアドレスの形で書いてください（例: name@example.jp）。")
PHONE = re.compile(r"^[0-9()\- ]{10,16}$")


class LocalEventForm(Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none(), empty_label=None)

    class Meta:
        model = LocalEvent
        fields = ["title", "kind", "area", "organiser", "starts_at", "ends_at", "venue",
                  "address", "capacity", "fee", "bring", "description"]  # fmt: skip
        widgets = {
            "starts_at": DATETIME, "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 5}),
        }  # fmt: skip
        error_messages = {
            "title": {"required": _("名称を入れてください。")},
            "organiser": {"required": _("主催を入れてください。")},
            "starts_at": {"required": _("開始日時を入れてください。")},
            "ends_at": {"required": _("終了日時を入れてください。")},
            "venue": {"required": _("会場を入れてください。")},
            "description": {"required": _("内容を入れてください。")},
        }

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["kind"].choices = self.fields["kind"].choices[1:]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "organiser", "venue", "address", "fee", "bring",
                     "description")  # fmt: skip
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了日時は開始日時より後にしてください。"))
        if self.instance.pk is None and starts and starts < timezone.now():
            self.add_error("starts_at", _("これからの日時を入れてください。"))
        capacity = data.get("capacity")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("定員は1人以上にするか、空欄にしてください。"))
        return data


class SignupForm(Honeypot):
    """What a resident fills in on a local event's page."""

    name = forms.CharField(label=_("お名前"), max_length=60, error_messages=PLAIN)
    phone = forms.CharField(
        label=_("電話番号"), max_length=30, required=False, error_messages=PLAIN,
        help_text=_("例: 03-1234-5678。電話かメールのどちらかを書いてください。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("メールアドレス"), max_length=254, required=False,
        error_messages={**PLAIN, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    people = forms.TypedChoiceField(
        label=_("参加する人数（ご本人を含めて）"), coerce=int, initial=1,
        choices=[(n, _("%(n)s人") % {"n": n}) for n in range(1, MAX_PEOPLE + 1)],
        error_messages=PLAIN,
    )  # fmt: skip

    def clean_phone(self) -> str:
        # Full-width digits and hyphens (０３－…) as typed on many phones become ASCII.
        phone = unicodedata.normalize("NFKC", self.cleaned_data.get("phone", "")).strip()
        phone = phone.replace("ー", "-").replace("−", "-")
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("電話番号は数字とハイフンで書いてください（例: 03-1234-5678）。")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "name")
        missing = not data.get("phone") and not data.get("email")
        if missing and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", _("電話番号かメールアドレスのどちらかを書いてください。"))
        return data


class RegionForm(forms.Form):
    """The block or region whose local events the public list shows (all when none)."""

    area = AreaChoiceField(
        label=_("地域をえらぶ"), queryset=Area.objects.none(), to_field_name="code",
        required=False, empty_label=_("すべての地域"),
    )  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
