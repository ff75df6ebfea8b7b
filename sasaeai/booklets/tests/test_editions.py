"""A made edition keeps what went in; a finished one is not changed by later edits of its
activities or texts, and is downloaded exactly as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.booklets import services
from sasaeai.directory.tests.builders import make_activity

from .builders import make_edition, pdf_text

pytestmark = pytest.mark.django_db


def test_a_finished_edition_is_kept_as_it_was(client: Client, users: dict, read: Any) -> None:
    activity = make_activity("はじめの名前のサロン")
    edition = make_edition()
    client.force_login(users["sc"])
    client.post(f"/staff/booklets/editions/{edition.pk}/make/")
    edition.refresh_from_db()
    assert edition.job_status == "done"
    client.post(f"/staff/booklets/editions/{edition.pk}/finish/")
    edition.refresh_from_db()
    assert edition.is_finished
    printed = read(edition.pdf)

    activity.name = "あとで変えた名前のサロン"
    activity.save()
    for path in ("texts/", "activities/", "columns/"):
        response = client.post(f"/staff/booklets/editions/{edition.pk}/{path}", {"title": "x"})
        assert response.status_code == 403, path
    assert client.post(f"/staff/booklets/editions/{edition.pk}/make/").status_code == 403
    assert not services.make(edition, users["sc"])

    response = client.get(f"/staff/booklets/editions/{edition.pk}/guidebook.pdf")
    assert b"".join(response.streaming_content) == printed  # type: ignore[attr-defined]
    assert "はじめの名前のサロン" in pdf_text(printed)
    preview = client.get(f"/staff/booklets/editions/{edition.pk}/preview/").content.decode()
    assert "はじめの名前のサロン" in preview and "あとで変えた名前" not in preview


def test_it_cannot_be_finished_before_it_is_made(client: Client, users: dict) -> None:
    edition = make_edition()
    client.force_login(users["sc"])
    client.post(f"/staff/booklets/editions/{edition.pk}/finish/")
    edition.refresh_from_db()
    assert not edition.is_finished
