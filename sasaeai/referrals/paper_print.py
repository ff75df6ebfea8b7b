"""The referral form on paper: for which region and institution a batch of blank sheets is,
and its A4 PDF (one page a sheet, its own reference and QR code on each), for hand-writing
and FAX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area, AreaContact
from sasaeai.lib import paper_forms
from sasaeai.lib.pdf import render_pdf

from .forms import InstitutionChoiceField
from .models import ConsentBy, ConsentMethod, Institution, ProblemKind
from .paper_models import ReferralSheet

MOST_AT_ONCE = 10


class PrintForm(forms.Form):
    area = AreaChoiceField(
        label=_("どの地域の用紙か"), queryset=Area.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    institution = InstitutionChoiceField(
        label=_("つなぐ先"), queryset=Institution.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("つなぐ先は一覧から選んでください。")},
    )  # fmt: skip
    count = forms.IntegerField(
        label=_("枚数"), min_value=1, max_value=MOST_AT_ONCE, initial=1,
        help_text=_("1枚ごとに別の受付票番号が付きます（10枚まで）。"),
        error_messages={
            "min_value": _("1枚以上にしてください。"),
            "max_value": _("一度に印刷できるのは10枚までです。"),
            "invalid": _("枚数は数字で入れてください。"),
            "required": _("枚数を入れてください。"),
        },
    )  # fmt: skip

    def __init__(
        self, *args: Any, areas: QuerySet[Area], institutions: QuerySet[Institution], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, institution = data.get("area"), data.get("institution")
        if area and institution and institution.municipality_id != (area.municipality_id or 0):
            self.add_error("institution", _("この地域の自治体の機関を選んでください。"))
        return data


def sheets_pdf(sheets: list[ReferralSheet], site: str) -> bytes:
    first = sheets[0]
    context = {
        "sheets": [(sheet, paper_forms.qr_png(sheet.reference)) for sheet in sheets],
        "area": first.area,
        "institution": first.institution,
        "desk": AreaContact.objects.nearest(first.area),
        "kinds": ProblemKind.choices,
        "consent_by": ConsentBy.choices,
        "consent_method": ConsentMethod.choices,
    }
    return render_pdf("referrals/paper/sheet_pdf.html", context, base_url=site,
                      stylesheets=[paper_forms.PAPER_CSS])  # fmt: skip
