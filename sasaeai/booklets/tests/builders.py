"""Small builders for booklet tests."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from sasaeai.booklets.models import Column, Edition
from sasaeai.directory.models import Activity
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import area


def make_edition(area_code: str = "takashimadaira", year: int = 2026, **fields: Any) -> Edition:
    fields.setdefault("welcome", "高島平の集まりを紹介します。")
    fields.setdefault("issued_by", "高島平 支え合い会議")
    return Edition.objects.create(area=area(area_code), fiscal_year=year, **fields)


LONG = ("高島平三丁目みんなで集まるいきいき健康体操と季節の手作りお茶会と歌声サロン" * 4)[:120]


def make_long_activity(name: str = LONG, area_code: str = "takashimadaira") -> Activity:
    """An activity with a name of 120 characters (its place named shortly: a place's name
    holds 120 characters, and the builder names it after the activity)."""
    activity = make_activity("長い名前の活動", area_code, kana="たかしまだいら")
    activity.name = name
    activity.save(update_fields=["name"])
    return activity


def make_column(edition: Edition, title: str = "地域のはなし", photo: bytes | None = None,
                **fields: Any) -> Column:  # fmt: skip
    column = Column(edition=edition, title=title, body=fields.pop("body", "本文です。"), **fields)
    if photo is not None:
        column.photo.save("photo.png", ContentFile(photo), save=False)
    column.save()
    return column


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gray").save(out, "PNG")
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_file(data: bytes, tmp: Path, name: str = "booklet.pdf") -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def run(*command: str, check: bool = True) -> str:
    """A program's output (our own arguments: a poppler or zbar tool and a file we wrote)."""
    return subprocess.run(command, check=check, capture_output=True, text=True).stdout  # noqa: S603
