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

from .models import NeedKind, NeedSheet, Urgency

MOST_AT_ONCE = 30


class PrintForm(forms.Form):
    area = AreaChoiceField(
        label=_("どの地域の用紙か"), queryset=Area.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("地域は一覧から選んでください。"),
                        "required": _("地域を選んでください。")},
    )  # fmt: skip
    count = paper_forms.count_field(MOST_AT_ONCE)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


def sheets_pdf(sheets: list[NeedSheet], site: str) -> bytes:
    """The blank sheets, one A4 page each."""
    area = sheets[0].area
    municipality = area.municipality or area
    return paper_forms.sheets_pdf(
        "needs/paper/sheet_pdf.html", sheets, site, sheet_name=_("困りごと受付票"), area=area,
        desk=AreaContact.objects.nearest(area), kinds=NeedKind.objects.of(municipality),
        urgencies=Urgency.choices,
    )  # fmt: skip
