"""Demo data for the support app, called by core.demo.load_demo (deterministic from `seed`)."""

from __future__ import annotations

from sasaeai.areas.models import Area


def build_support(municipality: Area, seed: int) -> None:
    """Idempotent: running load_demo twice adds nothing the second time."""
