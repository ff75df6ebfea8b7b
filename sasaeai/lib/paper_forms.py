"""Paper forms both ways, for FAX and hand-writing: the machinery every printed sheet shares.

A sheet is printed blank by staff for one target (a region, a local event, an institution)
with a fresh reference number (N-7K3M-9Q2X: a letter for the kind, seven random characters
and a check character) printed large and as a QR code. The sheet that comes back, scanned
or photographed, is found again by that number, typed by staff (or read from its QR code
when the server has `zbarimg`), and its image is kept beside the record it fills.

Each app keeps its own sheets (a model built on `PaperSheet`, its lookups and pages); this
module holds no domain: references, QR codes, the checks on a returned sheet, the shared
attach form and the answer that serves a kept image.
"""

from __future__ import annotations

import base64
import io
import secrets
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import qrcode
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import photos
from .pdf import render_pdf

PAPER_CSS = Path(__file__).parent / "paper-form.css"

# No 0/O, 1/I/L: a hand-copied number is read back without guessing.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY = 7  # random characters: 31**7, about 27 billion numbers per kind
# A returned sheet: read like a photo upload (photos.py) but kept larger, so that handwriting
# in the boxes stays legible (A4 at about 200 dpi).
SCAN_MAX_PX = 2400
SCAN_MAX_BYTES = photos.PHOTO_MAX_BYTES
SCAN_MAX_PIXELS = photos.PHOTO_MAX_PIXELS
ZBAR_SECONDS = 10

UNKNOWN = _("その受付票番号の用紙は見つかりません。用紙の右上の番号をもう一度確かめてください。")
MISTYPED = _("受付票番号の打ち間違いのようです。用紙の右上の番号をもう一度確かめてください。")
USED = _("この受付票番号の用紙は、もう取り込まれています。")
READ_FROM_CODE = _(
    "用紙の右上の番号です（例: N-7K3M-9Q2X）。空欄なら、用紙のQRコードから読み取ります。"
)
NO_NUMBER = _("受付票番号を入れてください（用紙の右上にあります）。")
UNREADABLE = _(
    "用紙として読み込めませんでした。JPEG・PNG の画像か、スキャンした PDF を選んでください。"
)
TOO_BIG = _("ファイルが大きすぎます。10MBまでのファイルを選んでください。")
TOO_MANY_PIXELS = _("画像の画素数が多すぎます（4000万画素まで）。縮小してから選んでください。")
ONE_PAGE = _("PDF は1枚（1ページ）ずつ取り込んでください。")
NO_IMAGE = _(
    "PDF にスキャンした画像が見つかりません。用紙をスキャンした PDF か写真を選んでください。"
)


def _check(body: str) -> str:
    """One check character over `body` (weighted sum, mod 31): catches one wrong character
    and two swapped neighbours."""
    total = sum((i + 2) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_reference(prefix: str) -> str:
    """A fresh reference: `prefix` (one letter naming the kind of sheet), then seven random
    characters and a check character, as `N-7K3M-9Q2X`."""
    body = prefix + "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    whole = body + _check(body)
    return f"{whole[0]}-{whole[1:5]}-{whole[5:]}"


def normalise(typed: str) -> str:
    """A reference as typed (full width, lower case, spaces, any dash) in its printed form,
    or "" when it has not the printed shape."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    kept = "".join(c for c in text if c.isascii() and c.isalnum())
    if len(kept) != BODY + 2 or any(c not in ALPHABET for c in kept):
        return ""
    return f"{kept[0]}-{kept[1:5]}-{kept[5:]}"


def well_formed(reference: str) -> bool:
    """Whether a normalised reference's check character fits."""
    kept = reference.replace("-", "")
    return bool(kept) and _check(kept[:-1]) == kept[-1]


def qr_png(text: str) -> str:
    """The QR code of `text` as a PNG data URI of one pixel per module, drawn large with
    `image-rendering: pixelated` (as the booklets draw theirs); high error correction, since
    a FAX blurs and a pen may cross it."""
    code = qrcode.QRCode(border=2, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data(text)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


class PaperSheet(models.Model):
    """What every printed sheet keeps: its reference, who printed it and when, and the sheet
    as it came back (an image, never public: served only through its app's lookups). Each
    app's sheet adds its area, its target record and the record it filled."""

    reference = models.CharField(_("受付票番号"), max_length=16, unique=True, editable=False)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("印刷した人"),
    )  # fmt: skip
    printed_at = models.DateTimeField(_("印刷した日時"), auto_now_add=True)
    scan = models.FileField(_("戻ってきた用紙"), upload_to="paper/%Y/", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("取り込んだ人"),
    )  # fmt: skip
    returned_at = models.DateTimeField(_("取り込んだ日時"), null=True, blank=True)

    prefix = "P"  # the kind's letter in the reference; each app's sheet sets its own

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    @property
    def is_returned(self) -> bool:
        """Came back (its image may have gone since, with the personal data it held)."""
        return self.returned_at is not None

    @property
    def has_image(self) -> bool:
        return bool(self.scan)

    @property
    def file_name(self) -> str:
        return Path(self.scan.name or "").name


def issue[S: PaperSheet](model: type[S], count: int, *, by: Any, **fields: Any) -> list[S]:
    """`count` new sheets of `model` for the same target, each with its own reference."""
    return [
        model._default_manager.create(reference=new_reference(model.prefix), printed_by=by,
                                      **fields)
        for _ in range(count)
    ]  # fmt: skip


def attach(sheet: PaperSheet, scan: ContentFile[bytes], *, by: Any) -> None:
    """Keep the checked image of a returned sheet on it (once: `AttachForm.find` refuses a
    sheet that came back already)."""
    sheet.scan.save(scan.name or "sheet.jpg", scan, save=False)
    sheet.returned_by = by
    sheet.returned_at = timezone.now()
    sheet.save(update_fields=["scan", "returned_by", "returned_at"])


def _image(upload: Any) -> Image.Image:
    too_large = ValidationError(TOO_MANY_PIXELS)
    try:
        image = Image.open(upload, formats=photos.PHOTO_FORMATS)  # the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except (UnidentifiedImageError, OSError):
        raise ValidationError(UNREADABLE) from None
    width, height = image.size
    if width * height > SCAN_MAX_PIXELS:
        raise too_large
    image.draft("RGB", (SCAN_MAX_PX, SCAN_MAX_PX))
    try:
        image.load()
    except (OSError, ValueError):
        raise ValidationError(UNREADABLE) from None
    return image


def _pdf_image(upload: Any) -> Image.Image:
    """The scanned image of a one-page PDF: its largest picture, its size read from the
    PDF before any pixel is decoded."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted or len(reader.pages) != 1:
            raise ValidationError(ONE_PAGE if not reader.is_encrypted else UNREADABLE)
        page = reader.pages[0]
        objects = page.get("/Resources", {}).get("/XObject", {}) or {}
        sizes = []
        for name in objects:
            xobject = objects[name].get_object()
            if xobject.get("/Subtype") == "/Image":
                pixels = int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
                if pixels > SCAN_MAX_PIXELS:
                    raise ValidationError(TOO_MANY_PIXELS)
                sizes.append((pixels, name))
        if not sizes:
            raise ValidationError(NO_IMAGE)
        largest = max(sizes)[1]
        found = next(i for i in page.images if i.name.split(".")[0] == largest.lstrip("/"))
        picture = found.image
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, StopIteration,
            NotImplementedError, UnidentifiedImageError):  # fmt: skip
        raise ValidationError(UNREADABLE) from None
    if picture is None:
        raise ValidationError(NO_IMAGE)
    return picture


def checked_scan(upload: Any) -> ContentFile[bytes]:
    """A returned sheet (JPEG, PNG, or a one-page scanned PDF) as a JPEG at most
    SCAN_MAX_PX wide or high, upright, without EXIF, under a random name. Refuses, with a
    message for the person, what is too large or not a sheet, before decoding any pixel."""
    if (getattr(upload, "size", None) or 0) > SCAN_MAX_BYTES:
        raise ValidationError(TOO_BIG)
    upload.seek(0)
    is_pdf = upload.read(5) == b"%PDF-"
    upload.seek(0)
    picture = _pdf_image(upload) if is_pdf else _image(upload)
    if picture.mode not in ("RGB", "RGBA", "L"):
        picture = picture.convert("L" if picture.mode in ("1", "LA", "I", "I;16") else "RGB")
    picture.thumbnail((SCAN_MAX_PX, SCAN_MAX_PX))
    picture = picture.convert("RGB")
    ImageOps.exif_transpose(picture, in_place=True)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def can_read_codes() -> bool:
    """Whether this server can read QR codes (the `zbarimg` program, zbar-tools)."""
    return shutil.which("zbarimg") is not None


def read_reference(content: bytes) -> str:
    """The reference a sheet's QR code holds, read with `zbarimg` from a checked JPEG;
    "" when the program is missing, finds no code, or the code is not a reference."""
    program = shutil.which("zbarimg")
    if not program or not content:
        return ""
    with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
        file.write(content)
        file.flush()
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program on our own temporary file
                [program, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file.name],
                capture_output=True, timeout=ZBAR_SECONDS, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            return ""
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        found = normalise(line)
        if found and well_formed(found):
            return found
    return ""


class AttachForm(forms.Form):
    """A returned sheet and its reference (typed, or read from its QR code when left empty
    and the server can). `clean` leaves the checked image in `cleaned_data["scan"]` and the
    reference in `cleaned_data["reference"]`; the app looks the sheet up with `find`."""

    reference = forms.CharField(
        label=_("受付票番号"), max_length=40, required=False,
        help_text=_("用紙の右上の番号です（例: N-7K3M-9Q2X）。"),
    )  # fmt: skip
    scan = forms.FileField(
        label=_("戻ってきた用紙（スキャンか写真）"),
        help_text=_("JPEG・PNG の画像か、1枚をスキャンした PDF（10MBまで）。"),
        error_messages={"required": _("戻ってきた用紙のファイルを選んでください。")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if can_read_codes():
            self.fields["reference"].help_text = READ_FROM_CODE
        self.sheet: Any = None

    def clean_scan(self) -> ContentFile[bytes]:
        return checked_scan(self.cleaned_data["scan"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("reference") or "").strip()
        if typed:
            found = normalise(typed)
            if not found or not well_formed(found):
                self.add_error("reference", MISTYPED)
                return data
        elif "scan" in data:
            found = read_reference(data["scan"].read())
            data["scan"].seek(0)
            if not found:
                self.add_error("reference", NO_NUMBER)
                return data
        else:
            return data
        data["reference"] = found
        return data

    def find[S: PaperSheet](self, sheets: models.QuerySet[S]) -> S | None:
        """The sheet of the reference among `sheets` (those this person may fill); None, with
        the error on the field, when it is unknown there or came back already."""
        reference = self.cleaned_data.get("reference")
        if not reference:
            return None
        sheet = sheets.filter(reference=reference).first()
        if sheet is None:
            self.add_error("reference", UNKNOWN)
        elif sheet.is_returned:
            self.add_error("reference", USED)
            return None
        return sheet


def scan_response(sheet: PaperSheet, name: str) -> HttpResponse:
    """A returned sheet's image, never cached; 404 for an old or guessed file name."""
    if not sheet.scan or sheet.file_name != name:
        raise Http404
    stored = photos.read(sheet.scan.storage, sheet.scan.name or "")
    if stored is None:
        raise Http404
    return image_response(*stored)


def image_response(content: bytes, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def count_field(most: int) -> forms.IntegerField:
    """How many blank sheets to print at once (each gets its own reference), `most` at most."""
    return forms.IntegerField(
        label=_("枚数"), min_value=1, max_value=most, initial=1,
        help_text=format_lazy(_("1枚ごとに別の受付票番号が付きます（{}枚まで）。"), most),
        error_messages={
            "min_value": _("1枚以上にしてください。"),
            "max_value": format_lazy(_("一度に印刷できるのは{}枚までです。"), most),
            "invalid": _("枚数は数字で入れてください。"),
            "required": _("枚数を入れてください。"),
        },
    )  # fmt: skip


def sheets_pdf(template: str, sheets: Sequence[PaperSheet], site: str, **context: Any) -> bytes:
    """Blank sheets as one PDF, an A4 page each with its reference and QR code: `template`
    extends templates/includes/paper/sheet_pdf.html (its `sheet_name` in `context`)."""
    pairs = [(sheet, qr_png(sheet.reference)) for sheet in sheets]
    return render_pdf(
        template, {"sheets": pairs, **context}, base_url=site, stylesheets=[PAPER_CSS]
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
