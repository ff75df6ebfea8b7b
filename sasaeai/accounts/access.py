"""All authorisation lives here.

A `Membership(user, area, role)` grants the role's capabilities on that area and
everything below it. Views never fetch a domain object directly: they ask this
module, which answers 404 for what the user may not see (and logs it) and 403
for what they may see but not change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from sasaeai.areas.models import Area
from sasaeai.audit import log

from .models import ROLE_CAPABILITIES, Capability, Membership, User

View = Callable[..., HttpResponse]


def memberships(user: Any) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_sasaeai_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("area"))
        user._sasaeai_memberships = cached
    return cached


def granted_areas(user: Any, capability: str) -> list[Area]:
    """The areas on which the user holds `capability` (and so on all below)."""
    return [m.area for m in memberships(user) if capability in ROLE_CAPABILITIES[m.role]]


def granted_paths(user: Any, capability: str) -> list[str]:
    """Paths of the areas on which the user holds `capability` (and so on all below)."""
    return [area.path for area in granted_areas(user, capability)]


def _path_q(paths: list[str], field: str) -> models.Q:
    q = models.Q(pk__in=[])
    for path in paths:
        q |= models.Q(**{field: path}) | models.Q(**{f"{field}__startswith": path + "/"})
    return q


def can(user: Any, capability: str, area: Area | None) -> bool:
    if area is None:
        return False
    return any(
        area.path == p or area.path.startswith(p + "/") for p in granted_paths(user, capability)
    )


def holders(capability: str, area: Area) -> models.QuerySet[User]:
    """The active users who hold `capability` on `area`: by a role on it or on an area above."""
    roles = [role for role, granted in ROLE_CAPABILITIES.items() if capability in granted]
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=roles,
            memberships__area__in=[area, *area.ancestors()],
        )
        .distinct()
        .order_by("pk")
    )


def has_any(user: Any, capability: str) -> bool:
    return bool(granted_paths(user, capability))


def municipality_ids(user: Any, capability: str = Capability.VIEW) -> list[int]:
    """The ids of the municipalities in which the user holds `capability` somewhere."""
    return sorted({area.municipality_id or area.pk for area in granted_areas(user, capability)})


def areas(user: Any, capability: str = Capability.VIEW) -> models.QuerySet[Area]:
    """Every area the user may act on with `capability`."""
    return Area.objects.filter(_path_q(granted_paths(user, capability), "path"))


def scope[QS: models.QuerySet[Any]](
    user: Any,
    queryset: QS,
    capability: str = Capability.VIEW,
    area_field: str = "area",
) -> QS:
    """Narrow a queryset of area-owned records to what the user may see.

    `area_field` names the record's Area foreign key; "" means the queryset is of Areas.
    """
    field = f"{area_field}__path" if area_field else "path"
    return queryset.filter(_path_q(granted_paths(user, capability), field))


def area_of(obj: Any) -> Area | None:
    if isinstance(obj, Area):
        return obj
    return getattr(obj, "audit_area", None) or getattr(obj, "area", None)


def get_object[M: models.Model](
    request: HttpRequest,
    queryset: models.QuerySet[M],
    capability: str = Capability.VIEW,
    area_field: str = "area",
    **lookup: Any,
) -> M:
    """Fetch one record the user may see, or 404; 403 if they may see but lack `capability`."""
    visible = scope(request.user, queryset, Capability.VIEW, area_field)
    try:
        obj = visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        log.denied(f"not visible: {queryset.model._meta.label} {request.path}")
        raise Http404 from None
    if capability != Capability.VIEW and not can(request.user, capability, area_of(obj)):
        log.denied(f"lacks {capability}: {request.path}", area=area_of(obj))
        raise PermissionDenied
    return obj


def get_area(request: HttpRequest, code: str, capability: str = Capability.VIEW) -> Area:
    """An area of the request's municipality that the user may act on."""
    queryset = Area.objects.all()
    if getattr(request, "municipality", None) is not None:
        queryset = queryset.filter(municipality=request.municipality)  # type: ignore[attr-defined]
    return get_object(request, queryset, capability, area_field="", code=code)


def public_municipality(request: HttpRequest) -> Area:
    """The municipality whose public site this is (found by the middleware); 404 when none."""
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404
    return municipality


def public_areas(request: HttpRequest) -> models.QuerySet[Area]:
    """The areas of the municipality whose public site this is; 404 when there is none."""
    return Area.objects.of(public_municipality(request))


def public_area(request: HttpRequest, code: str) -> Area:
    """An area of the municipality whose public site this is; 404 for any other tenant's."""
    area = public_areas(request).filter(code=code).first()
    if area is None:
        raise Http404
    return area


def require(*capabilities: str) -> Callable[[View], View]:
    """Decorator: signed in, and holding one of `capabilities` on at least one area; else 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(has_any(request.user, capability) for capability in capabilities):
                log.denied(f"lacks {' or '.join(capabilities)}: {request.path}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
