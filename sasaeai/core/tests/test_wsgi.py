import gc
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from sasaeai import wsgi

pytestmark = pytest.mark.django_db
# Importing the server's entry point connected its hook; only the test below should run it.
request_finished.disconnect(wsgi.freeze_after_first_request)


def serve(path: str) -> str:
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    # As Django's test client does: the test's transaction keeps its connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = wsgi.application(RequestFactory().get(path).environ, start_response)
        b"".join(response)
        response.close()  # as the server does: this ends the request (request_finished)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


def test_the_server_freezes_what_its_first_request_loaded(itabashi: Any) -> None:
    """The objects that live as long as the server are kept out of the collector's full
    passes, once, after the first request has loaded them."""
    request_finished.connect(wsgi.freeze_after_first_request)  # as when the server starts
    gc.unfreeze()
    try:
        assert serve("/") == "200 OK"
        assert gc.get_freeze_count() > 10_000
        gc.unfreeze()
        assert serve("/") == "200 OK"
        assert gc.get_freeze_count() == 0  # only the first request
    finally:
        gc.unfreeze()
        request_finished.disconnect(wsgi.freeze_after_first_request)
