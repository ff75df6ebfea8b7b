"""How long `manage.py backup` and `manage.py restore` take, and how large the archive is, at
the benchmark's size (issue 28: "how long restore takes at the bench's 1.1 M activities").

    .venv/bin/python bench/backup_bench.py --db sqlite --activities 1000000 --itabashi 100000
    .venv/bin/python bench/backup_bench.py --db postgres --activities 20000 --itabashi 10000

Makes (or reuses) the data with bench/dataset.py, then runs the two commands as an operator
would, each in a process of its own: backup to a file in a temporary folder, restore into an
empty database (a fresh SQLite file / a new PostgreSQL database, dropped afterwards) and an
empty media folder. The restore checks every table and file against the manifest, so its time
includes that verification. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=50)
    parser.add_argument("--itabashi", type=int, default=100_000)
    parser.add_argument("--encrypt", action="store_true", help="with SASAEAI_BACKUP_KEY set")
    args = parser.parse_args()
    total = args.activities + args.itabashi
    name = f"sasaeai_backupbench_{total}"
    made = subprocess.run(  # noqa: S603 - our own scripts
        [PYTHON, str(ROOT / "bench" / "dataset.py"), "--db", args.db, "--name", name,
         "--activities", str(args.activities), "--municipalities", str(args.municipalities),
         "--itabashi", str(args.itabashi)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    source = (
        f"sqlite:///{ROOT / 'bench' / '.cache' / (name + '.sqlite3')}"
        if args.db == "sqlite"
        else f"{PG_SERVER}/{name}"
    )
    with tempfile.TemporaryDirectory(prefix="sasaeai-backupbench-") as work:
        folder = Path(work)
        env = {**os.environ, "SASAEAI_TESTING": "1", "MEDIA_ROOT": str(folder / "media")}
        if args.encrypt:
            from cryptography.fernet import Fernet

            env["SASAEAI_BACKUP_KEY"] = Fernet.generate_key().decode()
        archive = folder / "sasaeai.backup"
        backup_s = timed(["backup", str(archive)], {**env, "DATABASE_URL": source})
        target = restore_target(args.db, folder, name)
        try:
            restore_s = timed(
                ["restore", str(archive)],
                {**env, "DATABASE_URL": target, "MEDIA_ROOT": str(folder / "restored")},
            )
        finally:
            if args.db == "postgres":
                psql(f'DROP DATABASE IF EXISTS "{name}_restored" WITH (FORCE)')
        print(json.dumps({
            "db": args.db, "activities": total, "dataset": json.loads(made.stdout.splitlines()[-1]),
            "encrypted": args.encrypt, "archive_mb": round(archive.stat().st_size / 1e6, 1),
            "backup_s": round(backup_s, 1), "restore_and_verify_s": round(restore_s, 1),
        }))  # fmt: skip
    return 0


def restore_target(db: str, folder: Path, name: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{folder / 'restored.sqlite3'}"
    psql(f'DROP DATABASE IF EXISTS "{name}_restored"')
    psql(f'CREATE DATABASE "{name}_restored"')
    return f"{PG_SERVER}/{name}_restored"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)  # noqa: S603,S607


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *command], env=env, check=True,  # noqa: S603
                   cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
