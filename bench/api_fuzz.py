"""The long fuzzing run of the API (issue 26: at least 10,000 generated cases, zero 5xx, every
answer as the OpenAPI schema says): the suite's sasaeai/api/tests/test_fuzz.py with ten times
its examples per operation (the staff operations with a token of every scope, and with
Schemathesis's coverage phase), failures shrunk to their simplest, on an in-memory SQLite
database, in-process (no network).

    .venv/bin/python bench/api_fuzz.py [--examples 600] [--staff-examples 120] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=600, help="cases per public operation")
    parser.add_argument(
        "--staff-examples",
        type=int,
        default=120,
        help="cases per staff operation (with a token of every scope)",
    )
    parser.add_argument("--postgres", action="store_true", help="the local PostgreSQL instead")
    args = parser.parse_args()
    database = (
        "postgres://postgres@127.0.0.1:5432/sasaeai_fuzz" if args.postgres else "sqlite:///:memory:"
    )
    env = {
        **os.environ,
        "SASAEAI_TESTING": "1",
        "DATABASE_URL": database,
        "SASAEAI_FUZZ_EXAMPLES": str(args.examples),
        "SASAEAI_FUZZ_STAFF_EXAMPLES": str(args.staff_examples),
        "SASAEAI_FUZZ_LONG": "1",
    }
    test = "sasaeai/api/tests/test_fuzz.py"
    command = [sys.executable, "-m", "pytest", test, "-q", "-s", "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
