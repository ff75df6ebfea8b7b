from typing import Any

from django.http import HttpRequest


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login a sign-in attempt was for: allauth passes it as `email`, the form as `login`."""
    given = (credentials or {}).get("email") or request.POST.get("login", "")
    return str(given).strip().lower()
