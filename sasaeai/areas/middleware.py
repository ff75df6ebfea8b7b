from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sasaeai.lib import memo

from .models import Area


def municipality_for(request: HttpRequest) -> Area | None:
    """The tenant whose public site this request is on: by host name, else the default."""
    host, default = request.get_host(), settings.SASAEAI_DEFAULT_MUNICIPALITY
    return memo.remember(("host", host, default), lambda: Area.objects.for_host(host, default))


class MunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = municipality_for(request)  # type: ignore[attr-defined]
        return self.get_response(request)
