from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def read() -> Any:
    """The bytes of a stored file, closed afterwards."""

    def read(field: Any) -> bytes:
        with field.open("rb") as file:
            return file.read()

    return read
