"""The printed documents of a local event (lib/pdf.py): the A4 flyer (チラシ) in large type
with the QR code of the event's public page, and the list of sign-ups to take along."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode
from django.http import HttpResponse
from django.utils import timezone

from sasaeai.areas.models import AreaContact
from sasaeai.lib import links
from sasaeai.lib.pdf import render_pdf

from .local_models import LocalEvent, Signup

FLYER_CSS = Path(__file__).parent / "flyer.css"


def qr_png(url: str) -> str:
    """The QR code of `url` as a PNG data URI, one pixel per module, drawn large with
    `image-rendering: pixelated` (as the booklets draw theirs)."""
    code = qrcode.QRCode(border=2, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def public_address(event: LocalEvent, site: str) -> str:
    """The event's public page: on the configured site or the municipality's host name, else
    on the address the request came by (`site`)."""
    url = links.absolute(event.public_url(), event.municipality)
    return url if url.startswith("http") else site.rstrip("/") + event.public_url()


def flyer_pdf(event: LocalEvent, site: str) -> bytes:
    url = public_address(event, site)
    context = {"event": event, "url": url, "qr": qr_png(url),
               "desk": AreaContact.objects.nearest(event.area)}  # fmt: skip
    return render_pdf("events/local_flyer_pdf.html", context, base_url=site,
                      stylesheets=[FLYER_CSS])  # fmt: skip


def signups_pdf(event: LocalEvent, signups: list[Signup], site: str) -> bytes:
    context = {"event": event, "signups": signups, "printed": timezone.localtime()}
    return render_pdf("events/local_signups_pdf.html", context, base_url=site,
                      stylesheets=[FLYER_CSS])  # fmt: skip


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # the list of sign-ups holds names
    return response
