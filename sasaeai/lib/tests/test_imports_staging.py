"""The staging of a checked file between the dry run and the commit (lib/import_views.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory

from sasaeai.lib import import_views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def request_with_session() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_a_staged_file_is_found_only_with_its_token_and_gone_once_discarded() -> None:
    request = request_with_session()
    token = import_views.stage(request, "upload", b"id,a\n1,2\n")
    assert import_views.staged(request, "upload", "guess") is None
    assert import_views.staged(request, "other", token) is None
    content, name = import_views.staged(request, "upload", token) or (b"", "")
    assert content == b"id,a\n1,2\n" and name.endswith(".csv")
    import_views.discard(request, "upload")
    assert import_views.staged(request, "upload", token) is None
    assert not default_storage.exists(name)


def test_staging_deletes_files_nobody_committed_for_a_day() -> None:
    first, second = request_with_session(), request_with_session()
    token = import_views.stage(first, "upload", b"old")
    _content, name = import_views.staged(first, "upload", token) or (b"", "")
    day_old = (dt.datetime.now() - dt.timedelta(days=1, minutes=1)).timestamp()
    os.utime(default_storage.path(name), (day_old, day_old))
    fresh = import_views.stage(second, "upload", b"PK new")
    assert not default_storage.exists(name)
    assert import_views.staged(first, "upload", token) is None
    assert import_views.staged(second, "upload", fresh) is not None
    import_views.discard(second, "upload")
