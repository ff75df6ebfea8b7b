"""The need form on paper, both ways: print blank sheets for a region, attach a sheet that
came back by its reference, and type the need beside its image (paper_models.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib import paper_forms, paper_views

from . import lookups, services
from .forms import NeedForm
from .models import NeedSheet
from .paper_print import PrintForm, sheets_pdf
from .staff_views import staff_municipality

VIEW, EDIT = lookups.VIEW, lookups.EDIT


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def paper_print(request: HttpRequest) -> HttpResponse:
    """Blank sheets for a region (the PDF, at once), and the sheets printed lately."""
    form = PrintForm(request.POST or None, areas=access.areas(request.user, EDIT))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            sheets = paper_forms.issue(
                NeedSheet, form.cleaned_data["count"], by=request.user,
                area=form.cleaned_data["area"],
            )  # fmt: skip
        return paper_forms.pdf_response(sheets_pdf(sheets, _site(request)), "need-sheets.pdf")
    context = {
        "form": form,
        "sheets": lookups.need_sheets(request)[:50],
        "waiting": lookups.need_sheets(request).waiting().count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "needs/paper/index.html", context, status=status)


@require_GET
@access.require(VIEW)
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One blank sheet again, with its own reference (printed once more, say, after a jam)."""
    sheet = lookups.need_sheet(request, pk)
    return paper_forms.pdf_response(sheets_pdf([sheet], _site(request)), f"{sheet.reference}.pdf")


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def paper_attach(request: HttpRequest) -> HttpResponse:
    """A sheet that came back: found by its reference among the sheets this person may fill;
    an unknown or used reference is told and nothing is kept."""
    return paper_views.attach_page(
        request, lookups.need_sheets(request, EDIT), "needs/paper/attach.html"
    )


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def paper_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The returned sheet's image beside the staff need form: saving it records the need
    with the sheet attached."""
    sheet = lookups.need_sheet(request, pk, EDIT if request.method == "POST" else VIEW)
    can_type = sheet.has_image and sheet.need_id is None and lookups.can_edit(request, sheet)
    form = None
    if can_type:
        form = NeedForm(
            request.POST if request.method == "POST" else None,
            initial={"area": sheet.area, "source": "resident"},
            areas=access.areas(request.user, EDIT),
            municipality=staff_municipality(request, EDIT),
        )
    if request.method == "POST":
        if form is None:
            used = _("この用紙からは、もう困りごとを記録してあります。")
            messages.error(request, used if sheet.need_id else _("先に用紙を取り込んでください。"))
            return redirect(sheet)
        if form.is_valid():
            with transaction.atomic():
                note = _("紙の受付票 %(r)s から") % {"r": sheet.reference}
                need = services.create_need(form.save(commit=False), by=request.user, note=note)
                sheet.need = need
                sheet.save(update_fields=["need"])
            messages.success(request, _("困りごと %(n)s を保存しました。") % {"n": need.number})
            return redirect(need)
    context: dict[str, Any] = {"sheet": sheet, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "needs/paper/sheet.html", context, status=status)


@require_GET
@access.require(VIEW)
def paper_scan(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The image of a returned sheet, to whoever sees the region's needs; never cached."""
    return paper_forms.scan_response(lookups.need_sheet(request, pk), name)
