from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sasaeai.lib import furigana, memo

if TYPE_CHECKING:
    from sasaeai.areas.models import Area, AreaContact

TEXT_SIZE_COOKIE = "sasaeai_text"
# How long a process keeps an area's desk for the footer of its pages: with the proxy's half
# second, a changed desk shows within a second, as any change does (lib/public_cache.py). A
# save of a desk in this process forgets it at once (core/apps.py).
DESK_SECONDS = 0.5


def desk_of(area: "Area | None") -> "AreaContact | None":
    """AreaContact.objects.nearest(area), asked at most once per DESK_SECONDS: every public
    page has it in its footer (a tenth of a search page's time, profiled, on the demo)."""
    from sasaeai.areas.models import AreaContact

    if area is None:
        return None
    key = ("desk", area.pk)
    return memo.remember(key, lambda: AreaContact.objects.nearest(area), DESK_SECONDS)


def site(request: HttpRequest) -> dict[str, Any]:
    from sasaeai.accounts import access
    from sasaeai.accounts.models import Capability
    from sasaeai.core import errors

    user = getattr(request, "user", None)
    municipality = getattr(request, "municipality", None)
    # A visitor who is not signed in holds no role: no menu to work out (most public pages).
    staff = getattr(user, "is_authenticated", False)
    return {
        "nav_staff": staff and access.has_any(user, Capability.VIEW),
        "nav_edit": staff and access.has_any(user, Capability.EDIT),
        "nav_members": staff and access.has_any(user, Capability.MANAGE_MEMBERS),
        "nav_audit": staff and access.has_any(user, Capability.VIEW_AUDIT),
        "municipality": municipality,
        # The desk in the footer of every page of the public site: the municipality's own,
        # read only where a page is drawn; an area's page passes its own
        # (AreaContact.objects.nearest). Staff pages have none: no query there.
        "footer_desk": None
        if request.path.startswith("/staff/")
        else SimpleLazyObject(lambda: errors.remembered_desk(request, desk_of(municipality))),
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        # ふりがな on request: the {% ruby %} tag reads it (core/templatetags/furigana_tags.py).
        "furigana": request.COOKIES.get(furigana.COOKIE) == "on",
        "debug_demo": settings.DEBUG,
    }
