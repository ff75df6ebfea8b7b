"""The database out of reach mid-request: a Japanese 503 page that says to come back shortly
(never a traceback), and the next request, once the database is back, is served as usual
without a restart."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from sasaeai.areas.models import AreaContact
from sasaeai.core import errors

pytestmark = pytest.mark.django_db(transaction=True)


def _desk(area: Any) -> AreaContact:
    return AreaContact.objects.create(
        area=area, post="板橋区 支え合い会議 事務局", phone="03-3579-0000",
        hours="月〜金 9:00〜17:00",
    )  # fmt: skip


def test_a_japanese_503_while_the_database_is_away_then_back_by_itself(itabashi: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite is a file inside the process: it has no server that can go away (the "
            "PostgreSQL run of the suite covers this)"
        )
    _desk(itabashi)
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
    # Whom to call, as the footer last showed it: the database cannot be asked.
    assert "板橋区 支え合い会議 事務局" in page and 'href="tel:0335790000"' in page
    back = client.get("/")
    assert back.status_code == 200


def test_the_error_pages_name_the_desk_the_footer_showed_last(itabashi: Any) -> None:
    _desk(itabashi)
    request = RequestFactory().get("/activities/", HTTP_HOST="itabashi.test")
    stranger = RequestFactory().get("/", HTTP_HOST="midori.example.jp")
    assert (
        "板橋区 支え合い会議 事務局" in Client(HTTP_HOST="itabashi.test").get("/").content.decode()
    )

    for failure, status in ((OperationalError("server closed"), 503), (ValueError("bug"), 500)):
        try:
            raise failure
        except Exception:
            answer = errors.server_error(request)
            elsewhere = errors.server_error(stranger).content.decode()
        page = answer.content.decode()
        assert answer.status_code == status
        assert "電話 03-3579-0000" in page and "月〜金 9:00〜17:00" in page
        # A host whose footer this process never drew: the general advice, no other town's desk.
        assert "03-3579-0000" not in elsewhere and "おとしより相談センター" in elsewhere
