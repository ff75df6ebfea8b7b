"""The database out of reach mid-request: a Japanese 503 page that says to come back shortly
(never a traceback), and the next request, once the database is back, is served as usual
without a restart."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_japanese_503_while_the_database_is_away_then_back_by_itself(itabashi: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite is a file inside the process: it has no server that can go away (the "
            "PostgreSQL run of the suite covers this)"
        )
    client = Client(raise_request_exception=False)
    assert client.get("/").status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: the server is gone
    try:
        away = client.get("/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert away.status_code == 503
    assert away["Retry-After"] == "60"
    page = away.content.decode()
    assert "ただいま使えません" in page and "もう一度お試しください" in page
    assert "Traceback" not in page and "OperationalError" not in page
    back = client.get("/")
    assert back.status_code == 200
