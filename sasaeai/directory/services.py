"""Writing activities: the one path used by staff forms, imports, proposals and demo data."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sasaeai.areas.models import Area

from .models import (
    TRANSITIONS,
    Activity,
    Kind,
    Organization,
    Place,
    Proposal,
    ProposalStatus,
    Schedule,
)

PHOTO_MAX_PX = 1200
# What an upload may be before it is decoded: a phone photo is 2-8 MB and 12-24 M pixels. A
# decoded image takes 3-4 bytes a pixel whatever its file's size (a 20 KB PNG can claim
# 13000 x 13000 px, 1 GB in memory), so the pixels are counted from the header first.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG")


@dataclass
class ActivityParts:
    """What an activity consists of besides its own fields."""

    kinds: Sequence[Kind] = ()
    organization_name: str = ""
    places: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)


def organization_named(municipality: Area, area: Area, name: str) -> Organization | None:
    name = name.strip()
    if not name:
        return None
    organization, _created = Organization.objects.get_or_create(
        municipality=municipality, name=name, defaults={"area": area}
    )
    return organization


@transaction.atomic
def save_activity(activity: Activity, parts: ActivityParts) -> Activity:
    """Save an activity with its kinds, organiser, places and schedules, then reindex it.

    Places and schedules are replaced as a whole: what `parts` lists is what the activity has.
    """
    activity.organization = organization_named(
        activity.area.municipality or activity.area, activity.area, parts.organization_name
    )
    activity.save()
    activity.kinds.set(parts.kinds)
    replace_parts(activity.places.all(), Place, activity, parts.places)
    replace_parts(activity.schedules.all(), Schedule, activity, parts.schedules)
    activity.refresh_search()
    return activity


def replace_parts(
    current: Iterable[Any], model: type, activity: Activity, rows: list[dict]
) -> None:
    """Make an activity's places (or schedules) exactly `rows`, reusing existing records."""
    existing = list(current)
    for index, row in enumerate(rows):
        obj = existing[index] if index < len(existing) else model(activity=activity)
        for name, value in row.items():
            setattr(obj, name, value)
        obj.save()
    for obj in existing[len(rows) :]:
        obj.delete()


def change_status(activity: Activity, status: str) -> None:
    """Move an activity along draft → in review → published → paused → ended."""
    transition = TRANSITIONS.get(status)
    if transition is None or activity.status not in transition["from"]:
        raise ValidationError(_("今の状態からは、その操作はできません。"))
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])


def confirm_running(activity: Activity) -> None:
    """Record that someone checked today that the activity still runs."""
    activity.last_confirmed = timezone.localdate()
    activity.save(update_fields=["last_confirmed", "updated_at"])


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


@transaction.atomic
def accept_proposal(proposal: Proposal) -> Activity:
    """Act on a resident's note: a new activity becomes a draft; a correction opens its activity."""
    activity = proposal.activity
    if activity is None:
        activity = Activity(area=proposal.area, name=proposal.name, description=proposal.details)
        save_activity(activity, ActivityParts())
    proposal.status = ProposalStatus.ACCEPTED
    proposal.activity = activity
    proposal.save(update_fields=["status", "activity"])
    return activity


def decline_proposal(proposal: Proposal) -> None:
    proposal.status = ProposalStatus.DECLINED
    proposal.save(update_fields=["status"])
