"""The booklet made by the task worker. The payload is ids only."""

from __future__ import annotations

from django.tasks import task

from . import services
from .models import Edition


@task()
def make_booklet(edition_id: int, user_id: int | None, site: str = "") -> bool:
    """Make an edition's PDFs (services.build) and tell who asked; False if it is gone or
    was finished meanwhile."""
    edition = Edition.objects.select_related("area", "municipality").filter(pk=edition_id).first()
    if edition is None or edition.is_finished:
        return False
    services.build(edition, user_id, site)
    return True
