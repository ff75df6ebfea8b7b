"""Writing a header and rows to .xlsx or CSV (UTF-8 with BOM, or cp932) for download, by the
spreadsheet writer of sasaeai.lib.import_files, for any columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sasaeai.lib import import_files
from sasaeai.lib.import_views import download

__all__ = ["download", "write"]


def write(header: list[str], rows: Iterable[list[Any]], fmt: str, sheet: str) -> bytes:
    """The header and rows as a file of format `fmt` (xlsx, csv or cp932)."""
    return import_files.write(rows, fmt, columns=header, sheet=sheet)
