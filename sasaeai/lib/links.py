"""Links for mail, which needs them absolute."""

from __future__ import annotations

from django.conf import settings

from sasaeai.areas.models import Area


def absolute(path: str, municipality: Area) -> str:
    """`path` on the configured site URL, else on the municipality's first host name."""
    base = settings.SASAEAI_BASE_URL
    if not base and municipality.host_list:
        base = "https://" + municipality.host_list[0]
    return base.rstrip("/") + path
