"""The default taxonomy of needs, seeded into every municipality when it is created."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

from sasaeai.areas.models import Area
from sasaeai.directory.models import Kind

from .models import NeedKind

DEFAULT_KINDS = Path(settings.BASE_DIR) / "data" / "needs" / "kinds.csv"


def seed_need_kinds(municipality: Area, path: Path = DEFAULT_KINDS) -> int:
    """Add the default need kinds the municipality lacks, each linked to the activity kinds
    (by code, of the same municipality) that answer it; return how many were added."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    existing = set(NeedKind.objects.of(municipality).values_list("code", flat=True))
    activity_kinds = {k.code: k for k in Kind.objects.of(municipality)}
    added = 0
    for order, row in enumerate(csv.DictReader(lines)):
        if row["code"] in existing:
            continue
        kind = NeedKind.objects.create(
            municipality=municipality,
            code=row["code"],
            name=row["name"],
            kana=row["kana"],
            sort_order=order,
        )
        codes = (row.get("activity_kinds") or "").split()
        kind.activity_kinds.set([activity_kinds[c] for c in codes if c in activity_kinds])
        added += 1
    return added
