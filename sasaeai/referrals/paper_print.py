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
    count = paper_forms.count_field(MOST_AT_ONCE)

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
    return paper_forms.sheets_pdf(
        "referrals/paper/sheet_pdf.html", sheets, site, sheet_name=_("つなぎ連絡票"),
        area=first.area, institution=first.institution,
        desk=AreaContact.objects.nearest(first.area), kinds=ProblemKind.choices,
        consent_by=ConsentBy.choices, consent_method=ConsentMethod.choices,
    )  # fmt: skip
