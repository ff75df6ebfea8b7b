"""Demo data for the events app, called by core.demo.load_demo (deterministic from `seed`)."""

from __future__ import annotations

from sasaeai.areas.models import Area


def build_events(municipality: Area, seed: int) -> None:
    """Idempotent: running load_demo twice adds nothing the second time."""
