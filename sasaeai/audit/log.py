"""Writing to the audit log. Every entry names who, what, when, from where and the result."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .context import current
from .models import Action, AuditEntry, Result


def record(
    action: str,
    *,
    result: str = Result.OK,
    obj: Any = None,
    area: Any = None,
    changed_fields: Iterable[str] = (),
    detail: str = "",
    user: Any = None,
) -> AuditEntry:
    actor = current()
    user = user if user is not None else actor.user
    if area is None and obj is not None:
        area = getattr(obj, "audit_area", None)
    area_path = getattr(area, "path", "") or ""
    municipality_code = area_path.split("/")[0] if area_path else ""
    if not municipality_code and user is not None:
        municipality = getattr(user, "municipality", None)
        municipality_code = municipality.code if municipality else ""
    municipality_code = municipality_code or actor.municipality_code
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        actor=getattr(user, "email", "") or "",
        action=action,
        model=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        changed_fields=list(changed_fields),
        municipality_code=municipality_code,
        area_path=area_path,
        ip=actor.ip,
        result=result,
        detail=detail[:400],
    )


def denied(detail: str, *, area: Any = None) -> AuditEntry:
    return record(Action.DENIED, result=Result.DENIED, detail=detail, area=area)
