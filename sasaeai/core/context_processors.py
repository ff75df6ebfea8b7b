from typing import Any

from django.conf import settings
from django.http import HttpRequest

TEXT_SIZE_COOKIE = "sasaeai_text"


def site(request: HttpRequest) -> dict[str, Any]:
    from sasaeai.accounts import access
    from sasaeai.accounts.models import Capability

    user = getattr(request, "user", None)
    return {
        "nav_staff": access.has_any(user, Capability.VIEW),
        "nav_members": access.has_any(user, Capability.MANAGE_MEMBERS),
        "nav_audit": access.has_any(user, Capability.VIEW_AUDIT),
        "municipality": getattr(request, "municipality", None),
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "debug_demo": settings.DEBUG,
    }
