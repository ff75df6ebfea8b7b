"""The referral form on paper, both ways: print blank sheets for an institution, attach a
returned sheet by its reference (its image encrypted like a referral's fields), and type the
draft referral beside the image. Every page is behind handlers_only and `private` (no-store,
staff_urls.py); every look at a filled sheet is in the audit log."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import paper_forms, paper_views, photos

from . import crypto, lookups, services
from .forms import ReferralForm
from .paper_models import ReferralSheet
from .paper_print import PrintForm, sheets_pdf
from .staff_views import _institutions


@require_http_methods(["GET", "POST"])
@lookups.handlers_only
def paper_print(request: HttpRequest) -> HttpResponse:
    """Blank referral forms for an institution (the PDF, at once), and the sheets printed."""
    lookups.require_sender(request)
    areas = lookups.sending_areas(request.user)
    form = PrintForm(request.POST or None, areas=areas,
                     institutions=_institutions(request, areas))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            sheets = paper_forms.issue(
                ReferralSheet, data["count"], by=request.user,
                area=data["area"], institution=data["institution"],
            )  # fmt: skip
        pdf = sheets_pdf(sheets, request.build_absolute_uri("/"))
        return paper_forms.pdf_response(pdf, "referral-sheets.pdf")
    context = {"form": form, "sheets": lookups.referral_sheets(request)[:50]}
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/paper/index.html", context, status=status)


@require_http_methods(["GET", "POST"])
@lookups.handlers_only
def paper_attach(request: HttpRequest) -> HttpResponse:
    """A returned sheet, found by its reference among the sheets not yet typed that this
    person sees; kept encrypted. An unknown or used reference is told and nothing is kept."""
    lookups.require_sender(request)
    sheets = lookups.referral_sheets(request).filter(referral__isnull=True)
    return paper_views.attach_page(request, sheets, "referrals/paper/attach.html", seal=_sealed)


def _sealed(scan: Any) -> ContentFile[bytes]:
    """A returned sheet's image as stored: encrypted like a referral's fields."""
    sealed = crypto.encrypt_bytes(scan.read())
    return ContentFile(sealed, name=f"{secrets.token_hex(8)}.bin")


@require_http_methods(["GET", "POST"])
@lookups.handlers_only
def paper_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The returned sheet's image beside the referral form: saving it makes the draft
    referral with the sheet attached (sent from the referral's page, as any draft)."""
    sheet = lookups.referral_sheet(request, pk)
    form = None
    if sheet.has_image and sheet.referral_id is None and lookups.may_send(request.user):
        areas = lookups.sending_areas(request.user)
        form = ReferralForm(
            request.POST if request.method == "POST" else None,
            initial={"area": sheet.area, "institution": sheet.institution},
            areas=areas, institutions=_institutions(request, areas),
        )  # fmt: skip
    if request.method == "POST":
        if form is None:
            used = _("この用紙からは、もうつなぎを作ってあります。")
            messages.error(
                request, used if sheet.referral_id else _("先に用紙を取り込んでください。")
            )
            return redirect(sheet)
        if form.is_valid():
            with transaction.atomic():
                referral = services.open_referral(form.save(commit=False), by=request.user)
                sheet.referral = referral
                sheet.save(update_fields=["referral"])
            done = _("つなぎ %(n)s を下書きとして保存しました。") % {"n": referral.number}
            messages.success(request, done)
            return redirect(referral)
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/paper/sheet.html", {"sheet": sheet, "form": form},
                  status=status)  # fmt: skip


@require_GET
@lookups.handlers_only
def paper_scan(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A returned sheet's image, decrypted for whoever may see it; the look is audited."""
    sheet = lookups.referral_sheet(request, pk)
    if not sheet.scan or sheet.file_name != name:
        raise Http404
    try:
        with sheet.scan.open("rb") as file:
            content = crypto.decrypt_bytes(file.read())
    except OSError:
        raise Http404 from None
    kind = photos.kind_of(content)
    if not kind:
        raise Http404
    log.record(Action.READ, obj=sheet.referral or sheet, detail="paper referral form")
    return paper_forms.image_response(content, kind)
