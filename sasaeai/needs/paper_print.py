"""The need form on paper: which region a batch of blank sheets is for, and its A4 PDF (one
page a sheet, each with its own reference and QR code), laid out for FAX and hand-writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area, AreaContact
from sasaeai.lib import paper_forms
from sasaeai.lib.pdf import render_pdf

from .models import NeedKind, NeedSheet, Urgency

MOST_AT_ONCE = 30


class PrintForm(forms.Form):
    area = AreaChoiceField(
        label=_("どの地域の用紙か"), queryset=Area.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("地域は一覧から選んでください。"),
                        "required": _("地域を選んでください。")},
    )  # fmt: skip
    count = forms.IntegerField(
        label=_("枚数"), min_value=1, max_value=MOST_AT_ONCE, initial=1,
        help_text=_("1枚ごとに別の受付票番号が付きます（30枚まで）。"),
        error_messages={
            "min_value": _("1枚以上にしてください。"),
            "max_value": _("一度に印刷できるのは30枚までです。"),
            "invalid": _("枚数は数字で入れてください。"),
            "required": _("枚数を入れてください。"),
        },
    )  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


def sheets_pdf(sheets: list[NeedSheet], site: str) -> bytes:
    """The blank sheets, one A4 page each."""
    area = sheets[0].area
    municipality = area.municipality or area
    context = {
        "sheets": [(sheet, paper_forms.qr_png(sheet.reference)) for sheet in sheets],
        "area": area,
        "desk": AreaContact.objects.nearest(area),
        "kinds": NeedKind.objects.of(municipality),
        "urgencies": Urgency.choices,
    }
    return render_pdf("needs/paper/sheet_pdf.html", context, base_url=site,
                      stylesheets=[paper_forms.PAPER_CSS])  # fmt: skip
