"""Fixtures of the backup and restore tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sasaeai.core import backup


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty database of the tests' engine to restore into (a file, or a new PostgreSQL
    database dropped afterwards)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"
    admin = backup._postgres({**source, "NAME": "postgres"})
    with admin as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        with backup._postgres({**source, "NAME": "postgres"}) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
