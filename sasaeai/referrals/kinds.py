"""The default taxonomy of institutions, seeded into every municipality when it is created."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

from sasaeai.areas.models import Area

from .models import InstitutionKind

DEFAULT_KINDS = Path(settings.BASE_DIR) / "data" / "referrals" / "institution-kinds.csv"


def seed_institution_kinds(municipality: Area, path: Path = DEFAULT_KINDS) -> int:
    """Add the default institution kinds the municipality lacks; return how many."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    existing = set(
        InstitutionKind.objects.filter(municipality=municipality).values_list("code", flat=True)
    )
    added = 0
    for order, row in enumerate(csv.DictReader(lines)):
        if row["code"] not in existing:
            InstitutionKind.objects.create(
                municipality=municipality, code=row["code"], name=row["name"],
                kana=row["kana"], description=row.get("description") or "", sort_order=order,
            )  # fmt: skip
            added += 1
    return added
