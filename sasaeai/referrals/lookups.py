"""Who may see and act on a referral: the one place that decides, on top of access.py.

Three kinds of people see a referral, nobody else:
- council-side referral handlers of its area: a role that both views the area's work and
  handles referrals (the region SC) on the referral's area or one above it;
- the sender, while they still handle referrals somewhere;
- staff of the receiving institution (linked by InstitutionStaff and holding a role that
  handles referrals in that municipality), once the referral has been sent.
Administrators, ward staff and council members see none of it unless a role grants this.
The institution side follows the referral's current institution: when a returned referral is
sent again to another institution (services.resend), the one that returned it no longer sees
it. It declined to help, so it keeps no legitimate reason to read the person's data; its own
"returned" step stays in the history the sender reads.
A referral outside these rules is a 404, and the refusal is in the audit log. To anyone who
handles no referral at all the staff referral pages themselves do not exist (`handlers_only`).

What the allowed see, nobody keeps: every staff referral page answers `Cache-Control:
no-store` (`private`, applied to every route by staff_urls.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.cache import never_cache

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind

from .models import Institution, InstitutionStaff, Referral, ReferralQuerySet, Status
from .paper_models import ReferralSheet

VIEW, EDIT, HANDLE = Capability.VIEW, Capability.EDIT, Capability.HANDLE_REFERRALS
SENDER, INSTITUTION = "sender", "institution"
_PRIVATE = "_sasaeai_private"


def private[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Tell browsers and proxies to keep no copy of the response (`Cache-Control: no-store,
    private`…): the back button or a browser's cache on a shared computer in a ward office
    must not bring a referral back after its reader has gone."""
    wrapped = never_cache(view)
    setattr(wrapped, _PRIVATE, True)
    return wrapped


def is_private(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, _PRIVATE, False))


def handler_paths(user: Any) -> list[str]:
    """Areas on which the user handles the referrals of the council side."""
    return [m.area.path for m in access.memberships(user) if {VIEW, HANDLE} <= set(m.capabilities)]


def institution_ids(user: Any) -> set[int]:
    """Institutions the user answers for (cached on the user for the request)."""
    cached: set[int] | None = getattr(user, "_sasaeai_institutions", None)
    if cached is not None:
        return cached
    roots = {
        m.area.path.split("/")[0] for m in access.memberships(user) if HANDLE in m.capabilities
    }
    found: set[int] = set()
    if roots:
        found = set(
            InstitutionStaff.objects.filter(
                user=user, institution__municipality__path__in=roots
            ).values_list("institution_id", flat=True)
        )
    user._sasaeai_institutions = found
    return found


def visible(user: Any) -> Q:
    """The rule itself, as a filter on Referral."""
    if not access.has_any(user, HANDLE):
        return Q(pk__in=[])
    q = access.under(handler_paths(user), "area__path") | Q(created_by=user)
    ids = institution_ids(user)
    if ids:
        q |= Q(institution_id__in=ids) & ~Q(status=Status.DRAFT)
    return q


def _all() -> ReferralQuerySet:
    return Referral.objects.select_related("area", "institution__kind")


def referrals(request: HttpRequest) -> ReferralQuerySet:
    return _all().filter(visible(request.user))


def referral(request: HttpRequest, pk: int, side: str = "") -> Referral:
    """A referral the user may see, or 404 (audited); with `side`, 403 (audited) unless
    the user acts on that side of it."""
    found = access.get_object(request, _all(), visible=visible(request.user), pk=pk)
    if side and side not in sides(request.user, found):
        access.refuse(request, f"not on the {side} side", area=found.area)
    return found


def sheet_visible(user: Any) -> Q:
    """Who sees a referral form on paper (paper_models.py): the sending side of its region
    (and whoever printed it) while it is a sheet; once typed into a referral, whoever sees
    that referral (`visible`)."""
    if not access.has_any(user, HANDLE):
        return Q(pk__in=[])
    sender = access.under(handler_paths(user), "area__path") | Q(printed_by=user)
    became = Referral.objects.filter(visible(user)).values("pk")
    return (Q(referral__isnull=True) & sender) | Q(referral__in=became)


def referral_sheets(request: HttpRequest) -> Any:
    queryset = ReferralSheet.objects.select_related("area", "institution", "referral")
    return queryset.filter(sheet_visible(request.user))


def referral_sheet(request: HttpRequest, pk: int) -> ReferralSheet:
    """A paper referral form the user may see, or 404 (audited)."""
    queryset = ReferralSheet.objects.select_related("area", "institution", "referral")
    return access.get_object(request, queryset, visible=sheet_visible(request.user), pk=pk)


def sides(user: Any, obj: Referral) -> set[str]:
    """On which side(s) of this (visible) referral the user stands."""
    result = set()
    paths = handler_paths(user)
    path = obj.area.path
    if obj.created_by_id == user.pk or any(access.is_under(path, p) for p in paths):
        result.add(SENDER)
    if obj.institution_id in institution_ids(user) and obj.status != Status.DRAFT:
        result.add(INSTITUTION)
    return result


def sending_areas(user: Any) -> Any:
    """Regions (and smaller units) from which the user may open a referral."""
    areas = Area.objects.filter(access.under(handler_paths(user)))
    return areas.filter(kind__in=[AreaKind.REGION, AreaKind.UNIT]).order_by("sort_order", "path")


def list_areas(user: Any) -> Any:
    """The areas the referral list may be narrowed to: every area of the municipalities where
    the user handles referrals. Naming an area shows no referral the rule (`visible`) hides."""
    roots = {
        m.area.path.split("/")[0] for m in access.memberships(user) if HANDLE in m.capabilities
    }
    return Area.objects.filter(access.under(sorted(roots)))


def may_send(user: Any) -> bool:
    return bool(handler_paths(user))


def may_handle(user: Any) -> bool:
    return may_send(user) or bool(institution_ids(user))


# The gate of the staff referral pages: signed in and handling referrals in some way, else 404
# (audited). To anyone else these pages, like the referrals on them, do not exist.
handlers_only = access.require_that(may_handle, "referral handling", hidden=True)


def my_institutions(user: Any) -> list[Institution]:
    return list(Institution.objects.filter(pk__in=institution_ids(user)).select_related("kind"))


def require_sender(request: HttpRequest) -> None:
    """For pages that open new referrals: a council-side handler, or 403 (audited)."""
    if not may_send(request.user):
        access.refuse(request, "lacks referral sending")


# --- The institution directory: kept by those who edit the whole municipality ---------------


def managed_municipalities(user: Any) -> list[Area]:
    """Municipalities whose institution directory the user keeps: EDIT on the root itself
    (ward staff, administrators). A region's SC reads the directory but does not change it."""
    return [
        m.area
        for m in access.memberships(user)
        if m.area.kind == AreaKind.MUNICIPALITY and EDIT in set(m.capabilities)
    ]


def may_keep_directory(user: Any) -> bool:
    return bool(managed_municipalities(user))


# The gate of the directory pages: to anyone who does not keep it they do not exist (404, audited).
keepers_only = access.require_that(may_keep_directory, "institution directory editing", hidden=True)


def kept_municipality(request: HttpRequest) -> Area:
    """The municipality whose directory the user keeps; past keepers_only there is one."""
    found = managed_municipalities(request.user)
    if not found:
        access.refuse(request, "lacks institution directory editing", hidden=True)
    return found[0]


def managed(request: HttpRequest, model: type[Any], pk: int, field: str = "municipality") -> Any:
    """One institution (or kind, or staff link via `field`) of a municipality the user keeps,
    or 404 (audited)."""
    kept = Q(**{f"{field}__in": managed_municipalities(request.user)})
    return access.get_object(request, model.objects.all(), visible=kept, pk=pk)
