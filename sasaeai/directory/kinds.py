"""The default activity taxonomy, seeded into every municipality when it is created."""

import csv
from pathlib import Path

from django.conf import settings

from sasaeai.areas.models import Area

from .models import Kind

DEFAULT_KINDS = Path(settings.BASE_DIR) / "data" / "kinds" / "default.csv"


def seed_kinds(municipality: Area, path: Path = DEFAULT_KINDS) -> int:
    """Add the default kinds the municipality does not have yet; return how many were added."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    existing = set(Kind.objects.of(municipality).values_list("code", flat=True))
    added = 0
    for order, row in enumerate(csv.DictReader(lines)):
        if row["code"] in existing:
            continue
        Kind.objects.create(
            municipality=municipality,
            facet=row["facet"],
            code=row["code"],
            name=row["name"],
            kana=row["kana"],
            sort_order=order,
        )
        added += 1
    return added
