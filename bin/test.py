"""The whole suite, as `make test` runs it: lint, types, migrations, then pytest per database.

SQLite always; PostgreSQL too when TEST_DATABASE_URL is set or a server answers on
127.0.0.1:5432; each in one process per core (pytest-xdist). REQUIRE_POSTGRES=1 /
REQUIRE_BROWSER=1 turn a missing server or Chromium into a failure instead of a skip. Ends
with one line per database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sasaeai"


def run(name: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"== {name}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode == 0  # noqa: S603 - our own tools


def counts(junit: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from pytest's JUnit XML report."""
    if not junit.exists():
        return 0, 0, 0
    root = ElementTree.parse(junit).getroot()  # noqa: S314 - our own pytest's output
    suite = root.find("testsuite") if root.tag == "testsuites" else root
    if suite is None:
        return 0, 0, 0
    total, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0))
    failed += int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def parallel() -> list[str]:
    """pytest-xdist's options: one process per core (SASAEAI_TEST_WORKERS overrides, 0 runs in
    this process), each file's tests together so that a module's built world is built once,
    files handed out in the order conftest.py puts them (the longest first)."""
    workers = os.environ.get("SASAEAI_TEST_WORKERS") or str(len(os.sched_getaffinity(0)))
    if workers == "0" or "-n" in sys.argv[1:]:
        return []
    return ["-n", workers, "--dist", "loadfile", "--no-loadscope-reorder"]


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    env = {**os.environ, "SASAEAI_TESTING": "1", "DJANGO_SETTINGS_MODULE": "sasaeai.settings"}
    env["DATABASE_URL"] = "sqlite:///:memory:"  # checks need no database file
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
    reports = Path(tempfile.mkdtemp(prefix="sasaeai-test-"))
    for name, url in databases:
        junit = reports / f"{name}.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-rs", *parallel()]
        command += [f"--junitxml={junit}", *sys.argv[1:]]
        ok = run(f"pytest on {name}", command, {**env, "DATABASE_URL": url})
        results.append((name, ok, counts(junit)))
        if not ok:
            failed.append(f"pytest on {name}")

    print()
    for name in [n for n, _ in checks]:
        print(f"{name}: {'FAILED' if name in failed else 'ok'}")
    for name, ok, (passed, failures, skipped) in results:
        verdict = "ok" if ok else "FAILED"
        print(f"database {name}: {verdict}, {passed} passed, {failures} failed, {skipped} skipped")
    totals = [sum(c[i] for _, _, c in results) for i in range(3)]
    print(f"tests: {totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
