"""All authorisation lives here: the gate and its building blocks.

A `Membership(user, area, role)` grants the role's capabilities on that area and
everything below it. Views never fetch a domain object directly: they ask this
module, which answers 404 for what the user may not see (and logs it) and 403
for what they may see but not change.

The building blocks: the gates that wrap a view (`require`, `require_that`,
`signed_in`), the filters for lists (`scope`, `areas`), the fetch of one object
(`get_object`) and the refusal they all end in (`refuse`, audited). "This area and
everything under it" is `under(paths, field)` as a filter and `is_under(path, above)`
in Python, for every app; they come from lib/paths.py, where the base apps reach
them too. Each app's lookups.py holds its per-model rules (which area a record
belongs to, who may act on it) and builds on these.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from sasaeai.areas.models import Area
from sasaeai.audit import log
from sasaeai.lib.paths import is_under, under

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


def can(user: Any, capability: str, area: Area | None) -> bool:
    if area is None:
        return False
    return any(is_under(area.path, p) for p in granted_paths(user, capability))


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
    return Area.objects.filter(under(granted_paths(user, capability)))


def scope[QS: models.QuerySet[Any]](
    user: Any,
    queryset: QS,
    capability: str = Capability.VIEW,
    area_field: str = "area",
) -> QS:
    """Narrow a queryset of area-owned records to what the user may see.

    `area_field` names the record's Area foreign key; "" means the queryset is of Areas.
    """
    return queryset.filter(_visible(user, capability, area_field, queryset.model))


def _visible(
    user: Any, capability: str, area_field: str, model: type[models.Model] | None = None
) -> models.Q:
    """Records whose area is one the user holds `capability` on, or below one.

    A model that keeps its area's municipality in a column of its own names that column in
    `MUNICIPALITY_OF_AREA` (it must always equal the area's municipality, as their save()
    makes it): a role held on a whole municipality then reads that column instead of
    joining every record's area, which a ward-wide list of 100,000 activities pays for."""
    field = f"{area_field}__path" if area_field else "path"
    column = getattr(model, "MUNICIPALITY_OF_AREA", "") if area_field == "area" else ""
    if not column:
        return under(granted_paths(user, capability), field)
    granted = granted_areas(user, capability)
    whole = [area.pk for area in granted if area.is_municipality]
    parts = under([area.path for area in granted if not area.is_municipality], field)
    return models.Q(**{f"{column}_id__in": whole}) | parts if whole else parts


def area_of(obj: Any) -> Area | None:
    if isinstance(obj, Area):
        return obj
    return getattr(obj, "audit_area", None) or getattr(obj, "area", None)


def get_object[M: models.Model](
    request: HttpRequest,
    queryset: models.QuerySet[M],
    capability: str = Capability.VIEW,
    area_field: str = "area",
    *,
    visible: models.Q | None = None,
    **lookup: Any,
) -> M:
    """Fetch one record the user may see, or 404; 403 if they may see but lack `capability`
    on its area. Both refusals are audited.

    Who sees a record is whoever holds VIEW on its area (`area_field`) or above. A model
    whose audience is drawn otherwise passes its lookups' rule as `visible`, a filter on the
    queryset's model for this user (events meant for the SCs of the areas below them,
    referrals' three kinds of people); the answers and their audit entries stay these.
    """
    if visible is None:
        visible = _visible(request.user, Capability.VIEW, area_field, queryset.model)
    try:
        obj = queryset.filter(visible).get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        log.denied(f"not visible: {queryset.model._meta.label} {request.path}")
        raise Http404 from None
    if capability != Capability.VIEW and not can(request.user, capability, area_of(obj)):
        refuse(request, f"lacks {capability}", area=area_of(obj))
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


def refuse(
    request: HttpRequest, reason: str, *, area: Area | None = None, hidden: bool = False
) -> NoReturn:
    """Refuse the request, with `reason` in the audit log: 403, or 404 when what was asked
    for must not even be seen to exist (`hidden`)."""
    log.denied(f"{reason}: {request.path}", area=area)
    if hidden:
        raise Http404
    raise PermissionDenied


def require_that(
    allowed: Callable[[Any], bool], lacks: str, *, hidden: bool = False
) -> Callable[[View], View]:
    """Decorator: signed in, and `allowed(user)` (a rule of the app's lookups.py); else 403,
    or 404 with `hidden`, audited as "lacks <lacks>"."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                refuse(request, f"lacks {lacks}", hidden=hidden)
            return view(request, *args, **kwargs)

        return gated(wrapped, lacks)

    return decorator


def require(*capabilities: str) -> Callable[[View], View]:
    """Decorator: signed in, and holding one of `capabilities` on at least one area; else 403."""
    return require_that(
        lambda user: any(has_any(user, capability) for capability in capabilities),
        " or ".join(capabilities),
    )


def signed_in[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Decorator: signed in, and nothing more at the door. For pages that every role they
    concern shares, where each object comes through `get_object` (or a lookup built on it),
    which refuses the rest: an event's page, open to the SCs it is meant for and its editors."""
    return gated(login_required(view), "signed in")


def public[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Decorator: a page of the public site, open to anyone; what it shows comes through
    `public_municipality`, `public_area` or the app's public lookups, never another tenant's."""
    return gated(view, "public")


GATE = "access_gate"


def gated[V: Callable[..., Any]](view: V, gate: str) -> V:
    """Mark `view` as passed through a gate of this module. `functools.wraps` copies the mark to
    every decorator around it, so a test can check that each route of the URL configuration has
    one (as casa verifies that a policy ran): a view with none fails it."""
    setattr(view, GATE, gate)
    return view
