"""The statistics page of referrals: counts per fiscal year, never a person."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.audit import log
from sasaeai.audit.models import Action

from . import sheets, stats

FORMATS = [("", gettext_lazy("画面で見る")), ("xlsx", gettext_lazy("Excel（.xlsx）")),
           ("csv", gettext_lazy("CSV（UTF-8・BOM付き）")),
           ("cp932", gettext_lazy("CSV（Shift_JIS・cp932）"))]  # fmt: skip


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, required=False)
    format = forms.ChoiceField(label=gettext_lazy("形式"), choices=FORMATS, required=False)

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, _("%(y)s年度") % {"y": y}) for y in years
        ]


@require_GET
@access.require(Capability.VIEW, Capability.HANDLE_REFERRALS)
def referral_stats(request: HttpRequest) -> HttpResponse:
    referrals = stats.visible(request.user)
    years = stats.years(referrals)
    form = YearForm(request.GET or None, years=years)
    year, fmt = years[0], ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        fmt = form.cleaned_data["format"]
    elif form.is_bound:
        return render(request, "referrals/staff/stats.html", {"form": form}, status=400)
    found = stats.tables(referrals, year)
    if fmt:
        log.record(Action.READ, detail=f"referral statistics {year} {fmt}")
        header = [_("年度"), _("集計"), _("項目"), _("件数")]
        content = sheets.write(header, stats.flat_rows(year, found), fmt, _("つなぎの統計"))
        return sheets.download(content, fmt, f"referral-statistics-{year}")
    context = {"form": form, "year": year, "tables": found,
               "summary": stats.summary(referrals, year)}  # fmt: skip
    return render(request, "referrals/staff/stats.html", context)
