"""Activities as spreadsheet rows, in COLUMNS order and in the form the reader takes back
unchanged; sasaeai.lib.import_files writes them to .xlsx or CSV (transfer.write)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db import models

from sasaeai.lib.import_files import NO, YES

from . import survey_options
from .models import Activity, Kind
from .transfer_format import KIND_SEPARATORS, SURVEY_FIELDS


def export_rows(activities: models.QuerySet[Activity]) -> Iterator[list[Any]]:
    """The rows of these activities, in COLUMNS order, as the importer reads them back."""
    municipalities = activities.order_by().values_list("municipality_id", flat=True).distinct()
    labels = _kind_labels(Kind.objects.filter(municipality_id__in=list(municipalities)))
    activities = activities.select_related("area", "organization").prefetch_related(
        "kinds", "places", "schedules"
    )
    for a in activities.order_by("pk").iterator(chunk_size=500):
        place = next(iter(a.places.all()), None)
        yield [
            a.pk, a.area.code, a.name, a.kana, a.description,
            "、".join(labels.get(k.pk, k.code) for k in a.kinds.all()),
            a.organization.name if a.organization else "",
            a.get_status_display(), a.get_visibility_display(), a.fee, _yes(a.is_free),
            a.audience, a.capacity, _yes(a.welcomes_newcomers), a.how_to_join,
            _yes(a.step_free), _yes(a.accessible_toilet), _yes(a.pick_up), a.contact_name,
            a.contact_phone, a.contact_email, _yes(a.contact_public),
            *([place.name, place.postal_code, place.address, place.latitude, place.longitude]
              if place else [""] * 5),
            "\n".join(s.in_words() for s in a.schedules.all()),
            a.last_confirmed.isoformat() if a.last_confirmed else "",
            *(survey_options.label(survey_options.FIELDS[name], getattr(a, name))
              for name in SURVEY_FIELDS.values()),
        ]  # fmt: skip


def _kind_labels(kinds: models.QuerySet[Kind]) -> dict[int, str]:
    """A kind by its name, or by its code where the name would not read back as that kind."""
    kinds_list = list(kinds)
    names = Counter((k.municipality_id, k.name) for k in kinds_list)
    return {
        k.pk: k.code
        if names[(k.municipality_id, k.name)] > 1 or KIND_SEPARATORS.search(k.name)
        else k.name
        for k in kinds_list
    }


def _yes(flag: bool) -> str:
    return YES if flag else NO
