"""Anonymous public pages, cacheable by the reverse proxy for the rest of the second.

A view decorated with `@public_page` lets the proxy in front (nginx, see
`deploy/nginx/sasaeai.conf`) keep its response — but only a response that is the same for
every anonymous visitor: a GET or HEAD with status 200, asked without a session or a pending
message, that sets no cookie and used no CSRF token. `PublicCacheMiddleware` checks all of
that on the final response and then adds `X-Accel-Expires: @<second the request began>`.

The proxy keeps such a copy at most until that wall-clock second ends, and its cache key
starts with the half second the request came in (`deploy/nginx/cache-maps.conf`), so no copy is
served more than half a second after it was made. So nothing needs invalidating: whatever
changed the data — a staff edit, an import, the admin, another server — every page shows it
within a second. Under load the application renders each page about twice a second per variant
(text size, compression), and the proxy answers the rest (`bench/`: the cached figures).

Browsers are told nothing new: they keep no copy (no Cache-Control, no validators).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

HEADER = "X-Accel-Expires"
_MARK = "_sasaeai_public_page"
# On the view itself (copied outwards by functools.wraps): lib/db_router.py reads such a
# page's rows from the replica, when there is one.
PUBLIC_VIEW = "sasaeai_public_view"


def public_page[**P](
    view: Callable[P, HttpResponseBase],
) -> Callable[P, HttpResponseBase]:
    """Mark a public view's response as the same for every anonymous visitor."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        response = view(*args, **kwargs)
        setattr(response, _MARK, True)
        return response

    setattr(wrapper, PUBLIC_VIEW, True)
    return wrapper


def shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True when `response` can be handed to any anonymous visitor asking the same URL."""
    return (
        getattr(response, _MARK, False)
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Set-Cookie" not in response
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        # A page that used the visitor's CSRF token carries it in a form.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class PublicCacheMiddleware:
    """Outermost middleware: it must see the response as it leaves Django."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = int(time.time())
        response = self.get_response(request)
        if shareable(request, response):
            response[HEADER] = f"@{began}"
        return response
