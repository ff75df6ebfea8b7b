"""The booklet's PDFs from its content (content.collect): A4 portrait in large type, and
the one-sheet edition on A3.

A booklet of the ward runs to hundreds of pages. It is laid out in parts, a kind of activity
(or a few) at a time, each part written and let go before the next, so that the worker's
memory stays bounded and the page shows how far it is; the parts are joined with pypdf. Each
part starts its page numbers where the last one ended (`@page :first { counter-reset }`), and
the pages its cards landed on (WeasyPrint's anchors) feed the indexes and the contents, laid
out last. The front (cover, welcome, contents) carries no page number, as in a printed book:
page 1 is the first page of activities, so the front is laid out once, at the end, with the
page numbers known. Each part starts a page (as does each region in a booklet of many);
within it the kinds follow one another.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import qrcode
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from sasaeai.lib import pdf

HERE = Path(__file__).parent
BOOKLET_CSS = HERE / "booklet.css"
SHEET_CSS = HERE / "sheet.css"
PART_SIZE = 60  # cards laid out at once: about 30 pages, a few dozen MB
QR_MASK = 2


def qr_png(url: str) -> str:
    """The QR code of `url` as a PNG data URI of one pixel per module, drawn large with
    `image-rendering: pixelated` (sharp in print, no smoothing). A third cheaper to lay out
    and write than an SVG, which counts in a booklet of 1,100 codes. One fixed mask pattern
    (any of the eight is valid; the library's search for the best one took three quarters of
    the time) and every reader decodes it."""
    code = qrcode.QRCode(
        border=2,
        box_size=1,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        mask_pattern=QR_MASK,
    )
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def photo_uri(name: str) -> str:
    """A stored photo as a data URI (the preview and the PDF alike); "" if it went missing
    since it was checked."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as file:
            data = file.read()
    except (FileNotFoundError, OSError):
        return ""
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64," + base64.b64encode(data).decode()


def dressed(content: dict[str, Any]) -> dict[str, Any]:
    """The content with what is drawn from it, not stored: QR codes and photos."""
    for section in content["sections"]:
        for group in section["groups"]:
            for card in group["cards"]:
                card["qr"] = qr_png(card["url"])
    for column in content["columns"]:
        column["photo_uri"] = photo_uri(column["photo"])
    return content


def parts(content: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """The kinds (with their region) in runs of about PART_SIZE cards."""
    run: list[dict[str, Any]] = []
    size = 0
    for section in content["sections"]:
        for index, group in enumerate(section["groups"]):
            if run and size + len(group["cards"]) > PART_SIZE:
                yield run
                run, size = [], 0
            run.append({**group, "region": section["region"] if index == 0 else ""})
            size += len(group["cards"])
    if run:
        yield run


def _layout(template: str, context: dict[str, Any], first_page: int, base_url: str) -> Any:
    sheets = [*context["sheets"], pdf.numbered_from(first_page)]
    return pdf.html(render_to_string(template, context), base_url).render(stylesheets=sheets)


def _pages_of(document: Any, first_page: int) -> dict[str, int]:
    """Where each anchor of a laid-out part landed: its printed page number."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first_page):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def booklet_pdf(
    content: dict[str, Any], base_url: str, progress: Callable[[int], None] = lambda done: None
) -> bytes:
    """The booklet, front to back, as one PDF."""
    content = dressed(content)
    base = {"c": content, "sheets": pdf.sheets(BOOKLET_CSS)}
    written: list[bytes] = []
    pages: dict[str, int] = {}
    next_page = 1
    done = 0
    for run in parts(content):
        document = _layout("booklets/pdf/cards.html", {**base, "groups": run}, next_page, base_url)
        pages |= _pages_of(document, next_page)
        next_page += len(document.pages)
        written.append(document.write_pdf())
        del document
        done += sum(len(group["cards"]) for group in run)
        progress(done)
    if not content["count"]:
        document = _layout("booklets/pdf/empty.html", base, next_page, base_url)
        pages["cards"] = next_page
        next_page += len(document.pages)
        written.append(document.write_pdf())
    back = _layout("booklets/pdf/back.html", {**base, "pages": pages}, next_page, base_url)
    pages |= _pages_of(back, next_page)
    written.append(back.write_pdf())
    del back
    front = _layout("booklets/pdf/front.html", {**base, "pages": pages}, 1, base_url)
    joined = PdfWriter()
    for part in [front.write_pdf(), *written]:
        joined.append(io.BytesIO(part))
    out = io.BytesIO()
    joined.write(out)
    return out.getvalue()


def sheet_pdf(content: dict[str, Any], base_url: str) -> bytes:
    """The one-sheet edition: every activity in a line or two, on A3 folded in half."""
    html = render_to_string("booklets/pdf/sheet.html", {"c": content})
    sheet = pdf.html(html, base_url).write_pdf(stylesheets=pdf.sheets(SHEET_CSS))
    assert sheet is not None
    return sheet


def no_activities_note() -> str:
    return _("この地域には、いまガイドブックに載せられる活動がありません。")
