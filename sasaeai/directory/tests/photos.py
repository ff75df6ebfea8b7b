"""Photos for directory tests: real small images, and PNG headers that claim huge ones."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sasaeai.directory.models import Activity

STAFF = "/staff/activities/"


def image_bytes(size: tuple[int, int] = (800, 600), kind: str = "JPEG", **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, kind, **save)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header for an RGB image of this size, with a few bytes of pixel data: PIL
    reports the size from it, and only decoding would take the memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def give_photo(activity: Activity) -> Path:
    """Store a photo on the activity, as the edit form does; the stored file."""
    activity.photo.save("photo.jpg", ContentFile(image_bytes()))
    return Path(activity.photo.path)


def edit_data(activity: Activity, **overrides: Any) -> dict[str, Any]:
    """The edit form as the page fills it for an activity from `make_activity`."""
    place, schedule = activity.places.get(), activity.schedules.get()
    data: dict[str, Any] = {
        "area": str(activity.area_id), "name": activity.name, "kana": activity.kana,
        "visibility": activity.visibility, "welcomes_newcomers": "on",
        "activity_kinds": [str(kind.pk) for kind in activity.kinds.filter(facet="activity")],
        "places-TOTAL_FORMS": "1", "places-INITIAL_FORMS": "1", "places-0-id": str(place.pk),
        "places-0-name": place.name, "places-0-address": place.address,
        "places-0-latitude": str(place.latitude), "places-0-longitude": str(place.longitude),
        "schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "1",
        "schedules-0-id": str(schedule.pk), "schedules-0-frequency": "weekly",
        "schedules-0-weekdays": ["2"], "schedules-0-opens_at": "14:00",
        "schedules-0-closes_at": "16:00",
    }  # fmt: skip
    data.update(overrides)
    return data
