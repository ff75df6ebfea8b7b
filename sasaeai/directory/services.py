"""Writing activities: the one path used by staff forms, imports, proposals and demo data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import optimistic, photos

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

# The photo checks live in lib/photos.py (meetings use them too); named here as before.
resized_photo = photos.resized_photo
PHOTO_MAX_BYTES = photos.PHOTO_MAX_BYTES
PHOTO_MAX_PIXELS = photos.PHOTO_MAX_PIXELS


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
def save_activity(
    activity: Activity, parts: ActivityParts, *, version: optimistic.Version = None
) -> Activity:
    """Save an activity with its kinds, organiser, places and schedules, then reindex it.

    Places and schedules are replaced as a whole: what `parts` lists is what the activity has.
    `version`: the one the person read (an edit); `optimistic.Stale`, and nothing written,
    if someone saved the activity since.
    """
    optimistic.claim(activity, version)
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
