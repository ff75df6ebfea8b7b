"""Path arithmetic of the area tree, written once.

Every area stores its materialised path (``131199/blk-akatsuka/takashimadaira``), so "this area
and everything under it" is the path itself or any path that starts with it and a slash: one
indexed prefix filter on every database. `under` is that filter, `is_under` the same test on a
path already loaded. accounts/access.py offers them to the domain apps with its other building
blocks; they live here, in the ground floor's ground floor, so that the audit log (beneath
areas: every Area is Audited) and the Area model use the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q


def paths_above(path: str) -> list[str]:
    """The paths of the areas above the one at `path`, from the municipality down."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def is_under(path: str, above: str) -> bool:
    """Whether the area at `path` is the one at `above` or lies below it."""
    return path == above or path.startswith(above + "/")


def under(paths: str | Iterable[str], field: str = "path") -> Q:
    """Rows whose `field` holds one of `paths` or a path below one of them: "path" for areas,
    "area__path" across an area foreign key, "area_path" in the audit log. No path, no rows."""
    if isinstance(paths, str):
        paths = [paths]
    parts = [Q(**{field: path}) | Q(**{f"{field}__startswith": path + "/"}) for path in paths]
    return reduce(or_, parts) if parts else Q(pk__in=[])
