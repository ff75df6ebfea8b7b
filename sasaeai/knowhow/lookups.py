"""Who may see and do what with a case, on top of accounts/access.py.

Seeing: a published case is for everyone who holds VIEW anywhere in its municipality (the
point is to learn from other regions): SCs, blocks, the ward and council members. A case not
published (a draft, or one waiting for review) is seen only by those who may edit its area:
its own SC, the block SC above it and the ward. Anyone else gets 404, audited, as everywhere;
a council member reads published cases only.

Writing: EDIT on the case's area or above (the region's SC for the region, the block SC for
the block and its regions, the ward for all). Publishing: EDIT on an area above the case's (the
block SC for the regions of the block, the ward for everything); nobody sits above the ward, so
its own staff publish the ward's cases. A person who may see but not act gets 403, audited.

The public site shows published cases whose audience is public, of its own municipality only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import ROLE_CAPABILITIES, Capability, User
from sasaeai.areas.models import Area, AreaKind

from .models import Case, CaseQuerySet, CaseStatus

VIEW, EDIT = Capability.VIEW, Capability.EDIT
WRITE, REVIEW, MARK = "write the case", "review the case", "mark the case useful"
ATTACH = "add or remove the case's photos and files"
KINDS = (AreaKind.MUNICIPALITY, AreaKind.BLOCK, AreaKind.REGION)  # the areas a case is about


def visible(user: Any) -> Q:
    """The cases `user` may read: published ones of their municipalities, and the others of
    the areas on which they may edit."""
    published = Q(status=CaseStatus.PUBLISHED, municipality_id__in=access.municipality_ids(user))
    return published | access.under(access.granted_paths(user, EDIT), "area__path")


def cases(request: HttpRequest) -> CaseQuerySet:
    """Every case this person may read."""
    return Case.objects.filter(visible(request.user))


def may_write(user: Any, area: Area) -> bool:
    return access.can(user, EDIT, area)


def may_review(user: Any, area: Area) -> bool:
    """EDIT held on an area above this one (on the ward itself, for the ward's case)."""
    if area.kind == AreaKind.MUNICIPALITY:
        return may_write(user, area)
    above = area.path.rpartition("/")[0]
    return any(
        access.is_under(above, m.area.path) and EDIT in m.capabilities
        for m in access.memberships(user)
    )


def may_mark(user: Any, case: Case) -> bool:
    """Signed-in staff and council members mark a published case useful."""
    return case.is_published and access.has_any(user, VIEW)


def may_attach(user: Any, case: Case) -> bool:
    """Photos and files change with the case's words: a draft by its writers, a published
    case by its reviewers (as they correct it where it stands); none while it waits."""
    if case.status == CaseStatus.REVIEW:
        return False
    if case.is_published:
        return may_review(user, case.area)
    return may_write(user, case.area)


RULES = {
    VIEW: lambda user, case: True,
    ATTACH: may_attach,
    WRITE: lambda user, case: may_write(user, case.area),
    REVIEW: lambda user, case: may_review(user, case.area),
    MARK: may_mark,
}


def case(request: HttpRequest, pk: int, action: str = VIEW) -> Case:
    """A case this person may read (404, audited, if not), on which they may take `action`
    (403, audited, if not)."""
    queryset = Case.objects.select_related("area")
    found = access.get_object(request, queryset, visible=visible(request.user), pk=pk)
    if not RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found.area)
    return found


def writable_areas(user: Any) -> QuerySet[Area]:
    """The areas a case may be written for by this person, in the area file's order."""
    found = access.areas(user, EDIT).filter(kind__in=KINDS)
    return found.order_by("path")


def reviewers(area: Area) -> QuerySet[User]:
    """Who publishes `area`'s cases (may_review)."""
    above = area if area.kind == AreaKind.MUNICIPALITY or area.parent is None else area.parent
    return access.holders(EDIT, above)


def writers(case: Case) -> list[User]:
    """Who hears that a case came back or was published: its author and those who may edit
    by a role on its very area (the region's SCs), not everyone above."""
    roles = [role for role, granted in ROLE_CAPABILITIES.items() if EDIT in granted]
    members = User.objects.filter(memberships__area=case.area, memberships__role__in=roles)
    found = members.filter(is_active=True).distinct().order_by("pk")
    return [*([case.author] if case.author else []), *found]


def public_cases(request: HttpRequest) -> CaseQuerySet:
    """The cases the public site shows: published for residents, of its own municipality."""
    return Case.objects.of(access.public_municipality(request)).public()


def public_case(request: HttpRequest, pk: int) -> Case:
    found = public_cases(request).select_related("area").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def municipality(request: HttpRequest) -> Area:
    """The municipality whose know-how this person reads: the one they hold VIEW in (the
    first, for the rare person of two)."""
    ids = access.municipality_ids(request.user, VIEW)
    found = Area.objects.filter(pk__in=ids[:1]).first()
    if found is None:
        access.refuse(request, f"lacks {VIEW}")
    return found


def theme_municipality(request: HttpRequest) -> Area:
    """The municipality whose themes this person edits: EDIT on the municipality itself (the
    ward's staff); anyone else 403, audited."""
    found = municipality(request)
    if not may_write(request.user, found):
        access.refuse(request, "lacks edit on the municipality's themes", area=found)
    return found


def may_edit_themes(user: Any, town: Area) -> bool:
    return may_write(user, town)
