"""Photos people upload (an activity's, a meeting's): checked before anything is decoded,
stored upright without EXIF under a random name, read back by their first bytes, and their
file deleted once the row that held it is gone for good."""

from __future__ import annotations

import base64
import io
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_PX = 1200
# What an upload may be before it is decoded: a phone photo is 2-8 MB and 12-24 M pixels. A
# decoded image takes 3-4 bytes a pixel whatever its file's size (a 20 KB PNG can claim
# 13000 x 13000 px, 1 GB in memory), so the pixels are counted from the header first.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG")
# What a photo's first bytes must be: its type is read from the file, never from its name.
PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def resized_photo(upload: Any) -> ContentFile:
    """The uploaded photo as a JPEG at most 1200 px wide or high, upright, without its EXIF
    data (which may carry where and when it was taken), under a random name (the uploader's
    file name may name a person, and the photo's address carries it).

    Refuses, with a message for the person, a file over PHOTO_MAX_BYTES and an image over
    PHOTO_MAX_PIXELS, both before any pixel is decoded."""
    if (getattr(upload, "size", None) or 0) > PHOTO_MAX_BYTES:
        raise ValidationError(_("写真のファイルが大きすぎます。10MBまでの写真を選んでください。"))
    too_large = _("写真の画素数が多すぎます（4000万画素まで）。縮小してから選んでください。")
    unreadable = _("写真として読み込めませんでした。JPEG か PNG の画像を選んでください。")
    try:
        image = Image.open(upload, formats=PHOTO_FORMATS)  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Past PIL's own limits (its warning is an error when warnings are, as in the tests).
        raise ValidationError(too_large) from None
    except (UnidentifiedImageError, OSError):
        raise ValidationError(unreadable) from None
    width, height = image.size
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError(too_large)
    # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that is still large enough: less memory.
    image.draft("RGB", (PHOTO_MAX_PX, PHOTO_MAX_PX))
    try:
        image.load()
    except (OSError, ValueError):
        raise ValidationError(unreadable) from None
    picture: Image.Image = image
    if picture.mode not in ("RGB", "RGBA", "L"):  # a palette resizes poorly, some modes not at all
        picture = picture.convert("RGB")
    picture.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))  # first: no copy at full size
    picture = picture.convert("RGB")
    ImageOps.exif_transpose(picture, in_place=True)  # the EXIF goes, so turn it as it says
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def delete_later(storage: Storage, name: str) -> None:
    """Delete a stored file once the transaction that dropped it commits (at once outside
    one): a rollback keeps the row pointing at it, so the file stays."""
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def kind_of(content: bytes) -> str:
    """The image type of a stored photo read from its first bytes, or "" for anything else."""
    for magic, kind in PHOTO_TYPES:
        if content.startswith(magic):
            return kind
    return ""


def read(storage: Storage, name: str) -> tuple[bytes, str] | None:
    """A stored photo's bytes and type; None when the file is missing, unreadable or not a
    photo we store."""
    if not name:
        return None
    try:
        with storage.open(name, "rb") as file:
            content = file.read()
    except OSError:
        return None
    kind = kind_of(content)
    return (content, kind) if kind else None


def data_uri(content: bytes, kind: str) -> str:
    """A photo as a data: URL (lib/pdf.py fetches nothing else)."""
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"
