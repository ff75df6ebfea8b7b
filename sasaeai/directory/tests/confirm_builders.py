"""Small builders for the organisers' confirmation (directory/confirm.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory import confirm
from sasaeai.directory.models import (
    Activity,
    ConfirmationBatch,
    ConfirmationRequest,
    ConfirmationSeason,
    SentHow,
)
from sasaeai.test import area


def make_season(
    municipality_code: str = "131199", *, days_left: int = 30, name: str = "2026年度 活動確認"
) -> ConfirmationSeason:
    """A season that began a month ago and ends in `days_left` days (over when negative)."""
    today = timezone.localdate()
    municipality = area(municipality_code)
    return confirm.open_season(
        municipality,
        name,
        today - dt.timedelta(days=30),
        today + dt.timedelta(days=days_left),
        None,
    )


def batch_of(season: ConfirmationSeason, region_code: str = "takashimadaira") -> ConfirmationBatch:
    return season.batches.get(area__code=region_code)


def make_request(
    activity: Activity, season: ConfirmationSeason | None = None, how: str = SentHow.POST
) -> tuple[ConfirmationRequest, str]:
    """The activity's request in a season (a new one when none is given), and its code."""
    season = season or make_season((activity.area.municipality or activity.area).code)
    region: Area | None = activity.area
    batch = season.batches.filter(area=region).first()
    assert batch is not None, "an activity of a region"
    return confirm.issue(batch, activity, how)


def confirm_objects(activity: Activity, mark: str) -> dict[str, Any]:
    """For the URL sweep: a season of the activity's municipality (named with the marker in
    another town only: every staff member of a municipality sees its seasons), the region's
    batch, and the activity's request with its code (`token`)."""
    root = activity.area.municipality or activity.area
    season = make_season(
        root.code, name=f"{mark} 活動確認" if root.code != "131199" else "活動確認"
    )
    request, code = make_request(activity, season)
    request.token = code  # type: ignore[attr-defined]
    request.batch.pdf.save("confirm.pdf", ContentFile(b"%PDF-1.4"))  # as made, for the download
    return {
        "confirm_season": season,
        "confirm_batch": request.batch,
        "confirm_request": request,
        "confirm_code": request,
    }
