from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from sasaeai.test import built_once

from . import sweep
from .sweep_build import build


@pytest.fixture(scope="module")
def sweep_world(
    django_db_setup: Any, django_db_blocker: Any, _media_root: Any
) -> Iterator[sweep.World]:
    """The sweep's objects (sweep_build.py), built once for a module; their files go where
    every test's MEDIA_ROOT is (the root conftest)."""

    def build_here() -> sweep.World:
        with override_settings(MEDIA_ROOT=_media_root):
            return build()

    yield from built_once(django_db_blocker, build_here)
