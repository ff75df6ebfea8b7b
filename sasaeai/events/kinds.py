"""The default kinds of event, seeded per municipality and then edited as data."""

from __future__ import annotations

from sasaeai.areas.models import Area

from .models import EventKind

# code, name, counted per block, outside event
DEFAULT_KINDS = [
    ("training", "第2層SC等研修会", False, False),
    ("sc-liaison", "第2層SC連絡会", False, False),
    ("block-liaison", "第2層ブロック連絡会", True, False),
    ("tokyo", "東京都・都社協の研修・フォーラム", False, True),
    ("npo", "NPOのセミナー（全国コミュニティサポートセンター）", False, True),
    ("foundation", "財団の交流会（さわやか福祉財団）", False, True),
    ("other", "その他の外部研修", False, True),
]


def seed_kinds(municipality: Area) -> None:
    """Create the default kinds a municipality does not have yet (idempotent)."""
    have = set(EventKind.objects.filter(municipality=municipality).values_list("code", flat=True))
    EventKind.objects.bulk_create(
        EventKind(
            municipality=municipality,
            code=code,
            name=name,
            per_block=per_block,
            outside=outside,
            sort_order=order,
        )
        for order, (code, name, per_block, outside) in enumerate(DEFAULT_KINDS, start=1)
        if code not in have
    )


def kinds_of(municipality: Area) -> list[EventKind]:
    if not EventKind.objects.filter(municipality=municipality).exists():
        seed_kinds(municipality)
    return list(EventKind.objects.filter(municipality=municipality))
