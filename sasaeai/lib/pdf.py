"""HTML templates to PDF (WeasyPrint), with the fonts every printed document shares.

The type is the OS's BIZ UD Gothic, embedded (as a subset) in each PDF; characters it lacks
(𠮷, emoji) fall back to Noto CJK and Noto Color Emoji where the OS has them, never a blank
box. `print-document.css` beside this module holds what every document shares (fonts, sizes, page
numbers); a document adds its own stylesheet for its layout.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

SHARED_CSS = Path(__file__).parent / "print-document.css"


def quiet() -> None:
    """WeasyPrint logs every step and page at INFO: hundreds of lines for a booklet, and time.
    Only its errors go to the log."""
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)


def render_pdf(
    template: str,
    context: Mapping[str, Any],
    *,
    base_url: str,
    stylesheets: Sequence[Path] = (),
) -> bytes:
    """The PDF of `template` rendered with `context`. `base_url` resolves the relative
    addresses in the page (images, links): the site's own address (`settings.SASAEAI_BASE_URL`
    in a task, `request.build_absolute_uri("/")` in a view). Runs in the caller's process: a
    document of many pages belongs in a task (lib/jobs.py)."""
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is made

    quiet()
    html = render_to_string(template, dict(context))
    sheets = [CSS(filename=str(path)) for path in (SHARED_CSS, *stylesheets)]
    pdf = HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets)
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
