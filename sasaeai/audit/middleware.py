from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import context


class AuditContextMiddleware:
    """Make the acting user and their address known to the audit log for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        municipality = getattr(request, "municipality", None)
        actor = context.Actor(
            user=user,
            ip=request.META.get("REMOTE_ADDR"),
            municipality_code=municipality.code if municipality else "",
        )
        token = context.set_actor(actor)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
