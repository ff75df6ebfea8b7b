from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from . import sweep
from .sweep_build import build


@pytest.fixture(scope="module")
def sweep_world(
    django_db_setup: Any, django_db_blocker: Any, _media_root: Any
) -> Iterator[sweep.World]:
    """The sweep's objects (sweep_build.py), built once for a module inside a transaction rolled
    back at its end; each test runs in a savepoint of it, as with Django's TestCase.setUpTestData.
    Their files go where every test's MEDIA_ROOT is (the root conftest)."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=_media_root):
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
