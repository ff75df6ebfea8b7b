"""ETags on the API's answers: a GET answered 200 carries an ETag made from its body, and a
request whose If-None-Match names it is answered 304 without the body (what Django's
ConditionalGetMiddleware does, for these views alone)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag


def etagged(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not isinstance(response, HttpResponse) or response.has_header("ETag"):
            return response  # a streamed answer, or one that made its own
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        answer = get_conditional_response(request, etag=response["ETag"], response=response)
        return answer or response

    return wrapper
