"""The whole suite, as `make test` runs it: lint, types, migrations, then pytest per database.

SQLite always; PostgreSQL too when TEST_DATABASE_URL is set or a server answers on
127.0.0.1:5432. REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 turn a missing server or
Chromium into a failure instead of a skip. Ends with one line per database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sasaeai"


def run(name: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"== {name}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode == 0  # noqa: S603 - our own tools


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    env = {**os.environ, "SASAEAI_TESTING": "1", "DJANGO_SETTINGS_MODULE": "sasaeai.settings"}
    env.pop("DATABASE_URL", None)
    checks = [
        ("ruff", [str(BIN / "ruff"), "check", "."]),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
        ("mypy", [str(BIN / "mypy")]),
        ("migrations", [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]),
    ]
    failed = [name for name, command in checks if not run(name, command, env)]

    databases: list[tuple[str, str]] = [("sqlite", "sqlite:///:memory:")]
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url or postgres_answers():
        databases.append(("postgresql", pg_url or DEFAULT_PG))
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        print("REQUIRE_POSTGRES=1 but no PostgreSQL answers on 127.0.0.1:5432", flush=True)
        failed.append("postgresql (not running)")

    results = []
    for name, url in databases:
        ok = run(
            f"pytest on {name}",
            [sys.executable, "-m", "pytest", "-q", "-rs", *sys.argv[1:]],
            {**env, "DATABASE_URL": url},
        )
        results.append((name, ok))
        if not ok:
            failed.append(f"pytest on {name}")

    print()
    for name in [n for n, _ in checks]:
        print(f"{name}: {'FAILED' if name in failed else 'ok'}")
    for name, ok in results:
        print(f"database {name}: {'passed' if ok else 'FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
