"""HTML templates to PDF (WeasyPrint), with the fonts every printed document shares.

The type is the OS's BIZ UD Gothic, embedded (as a subset) in each PDF; characters it lacks
(𠮷, emoji) fall back to Noto CJK and Noto Color Emoji where the OS has them, never a blank
box. `print-document.css` beside this module holds what every document shares (fonts, sizes, page
numbers); a document adds its own stylesheet for its layout.
"""

from __future__ import annotations

import functools
import logging
import ssl
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


@functools.cache
def _unused_tls() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def fetcher() -> Any:
    """WeasyPrint's fetcher of a document's resources, allowed only `data:` addresses: every
    image of our documents is inline (QR codes, photos), so a document reaches neither the
    network nor the disk, whatever its texts hold. It is handed a TLS context made once per
    process: the default fetcher makes one per document and stylesheet (35 ms each, seconds
    over a booklet laid out in many parts), for HTTPS it never uses here."""
    quiet()
    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=_unused_tls(), allowed_protocols={"data"})


def html(markup: str, base_url: str) -> Any:
    """A WeasyPrint document of `markup`, its resources fetched by `fetcher`."""
    quiet()  # before the first import, which logs the parsing of its own stylesheets
    from weasyprint import HTML  # heavy: loaded only when a PDF is made

    return HTML(string=markup, base_url=base_url, url_fetcher=fetcher())


def sheets(*paths: Path) -> list[Any]:
    """The shared print stylesheet and then `paths`, parsed: parse them once for a document
    laid out in parts."""
    quiet()
    from weasyprint import CSS

    return [CSS(filename=str(path), url_fetcher=fetcher()) for path in (SHARED_CSS, *paths)]


def numbered_from(first_page: int) -> Any:
    """A stylesheet that numbers a part's pages on from `first_page`, for a document laid
    out in parts and joined."""
    quiet()
    from weasyprint import CSS

    rule = f"@page :first {{ counter-reset: page {first_page}; }}"
    return CSS(string=rule, url_fetcher=fetcher())


def render_pdf(
    template: str,
    context: Mapping[str, Any],
    *,
    base_url: str,
    stylesheets: Sequence[Path] = (),
) -> bytes:
    """The PDF of `template` rendered with `context`. `base_url` resolves the relative
    addresses in the page (links): the site's own address (`settings.SASAEAI_BASE_URL`
    in a task, `request.build_absolute_uri("/")` in a view). Runs in the caller's process: a
    document of many pages belongs in a task (lib/jobs.py)."""
    document = html(render_to_string(template, dict(context)), base_url)
    pdf = document.write_pdf(stylesheets=sheets(*stylesheets))
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
