from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sasaeai.lib import furigana

TEXT_SIZE_COOKIE = "sasaeai_text"


def site(request: HttpRequest) -> dict[str, Any]:
    from sasaeai.accounts import access
    from sasaeai.accounts.models import Capability
    from sasaeai.areas.models import AreaContact
    from sasaeai.core import errors

    user = getattr(request, "user", None)
    municipality = getattr(request, "municipality", None)
    return {
        "nav_staff": access.has_any(user, Capability.VIEW),
        "nav_edit": access.has_any(user, Capability.EDIT),
        "nav_members": access.has_any(user, Capability.MANAGE_MEMBERS),
        "nav_audit": access.has_any(user, Capability.VIEW_AUDIT),
        "municipality": municipality,
        # The desk in the footer of every page of the public site: the municipality's own,
        # read only where a page is drawn; an area's page passes its own
        # (AreaContact.objects.nearest). Staff pages have none: no query there.
        "footer_desk": None
        if request.path.startswith("/staff/")
        else SimpleLazyObject(
            lambda: errors.remembered_desk(request, AreaContact.objects.nearest(municipality))
        ),
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        # ふりがな on request: the {% ruby %} tag reads it (core/templatetags/furigana_tags.py).
        "furigana": request.COOKIES.get(furigana.COOKIE) == "on",
        "debug_demo": settings.DEBUG,
    }
