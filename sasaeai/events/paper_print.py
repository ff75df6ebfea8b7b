"""The sign-up sheet of a local event on paper: its A4 PDF (one page a sheet, its own
reference and QR code on each, rows large enough to write a name and a phone number by
hand), and the rows typed back from a returned sheet."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import AreaContact
from sasaeai.lib import paper_forms
from sasaeai.lib.forms import PLAIN, plain_text

from .local_forms import PHONE
from .local_models import MAX_PEOPLE
from .paper_models import EventSheet

ROWS = 10  # lines printed on a sheet, and typed back at most from one
MOST_AT_ONCE = 10


class PrintForm(forms.Form):
    count = paper_forms.count_field(MOST_AT_ONCE)


def sheets_pdf(sheets: list[EventSheet], site: str) -> bytes:
    event = sheets[0].event
    return paper_forms.sheets_pdf(
        "events/paper/sheet_pdf.html", sheets, site, sheet_name=_("申込用紙"), event=event,
        desk=AreaContact.objects.nearest(event.area), rows=range(1, ROWS + 1),
    )  # fmt: skip


class RowForm(forms.Form):
    """One line of a returned sheet: left empty, it is skipped."""

    name = forms.CharField(label=_("お名前"), max_length=60, required=False, error_messages=PLAIN)
    phone = forms.CharField(
        label=_("電話番号"), max_length=30, required=False, error_messages=PLAIN,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )  # fmt: skip
    people = forms.IntegerField(
        label=_("人数"), min_value=1, max_value=MAX_PEOPLE, required=False,
        error_messages={"min_value": _("1人以上にしてください。"),
                        "max_value": _("9人までにしてください。"),
                        "invalid": _("人数は数字で入れてください。")},
    )  # fmt: skip

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data.get("name", ""))

    def clean_phone(self) -> str:
        phone = unicodedata.normalize("NFKC", self.cleaned_data.get("phone", "")).strip()
        phone = phone.replace("ー", "-").replace("−", "-")
        if phone and not PHONE.match(phone):
            raise ValidationError(
                _("電話番号は数字とハイフンで書いてください（例: 03-1234-5678）。")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("name") or data.get("phone") or data.get("people")
        if filled and not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("お名前を入れてください。"))
        if filled and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("電話番号を入れてください。"))
        return data


RowFormSet = forms.formset_factory(RowForm, extra=ROWS, max_num=ROWS, absolute_max=ROWS)


def filled_rows(formset: Any) -> list[dict[str, Any]]:
    return [
        {"name": f.cleaned_data["name"], "phone": f.cleaned_data["phone"],
         "people": f.cleaned_data.get("people") or 1}
        for f in formset.forms if f.cleaned_data.get("name")
    ]  # fmt: skip
