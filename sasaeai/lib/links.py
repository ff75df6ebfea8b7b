"""Links for mail, which needs them absolute."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings


class Site(Protocol):
    """A municipality (an Area at the root), as far as links need it."""

    @property
    def host_list(self) -> list[str]: ...


def absolute(path: str, municipality: Site) -> str:
    """`path` on the configured site URL, else on the municipality's first host name."""
    base = settings.SASAEAI_BASE_URL
    if not base and municipality.host_list:
        base = "https://" + municipality.host_list[0]
    return base.rstrip("/") + path
