"""A real kill of the task worker in the middle of a notice mail to five people (issue 28:
"the task worker is killed while sending mail … the task runs again, nobody gets two mails").

    .venv/bin/python bench/worker_kill.py                 # SQLite, a file in a temporary folder
    .venv/bin/python bench/worker_kill.py --db postgres   # a scratch PostgreSQL database

In a scratch database: five users and one queued `lib.tasks.send_notice_mail` to them. A
`manage.py run_worker` process sends through a mail server that takes a second over each
mail (the mails are files in a folder); after the second mail it gets SIGKILL, in the
middle of the third. Then a new `run_worker --batch` starts, as systemd would restart it,
puts the task back in the queue (its worker's process is gone), and runs it. Prints one JSON
line and exits 1 unless: the task was left RUNNING by the kill, it ended SUCCESSFUL after the
restart, and nobody got two mails. The third mail was on its way when the worker died: it
is not sent again but logged as uncertain (lib/delivery.py), so four people have a mail.
Takes one to a few minutes, mostly `migrate` of the scratch database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SCRATCH = "sasaeai_worker_kill"
SETUP = """
from sasaeai.accounts.models import User
from sasaeai.lib.tasks import send_notice_mail
ids = [User.objects.create_user(f"person{n}@example.jp", "a-long-password-1").pk for n in range(5)]
queued = send_notice_mail.enqueue(ids, "お知らせ", "動きがあります。", "http://127.0.0.1/", [])
print(queued.id)
"""
STATE = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.get(pk="{id}").status)
"""


class SlowMailbox(BaseEmailBackend):
    """A mail server that takes a second over each mail, then keeps it as a file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(fail_silently=kwargs.pop("fail_silently", False))
        self.folder = Path(os.environ["WORKER_KILL_MAILDIR"])

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            time.sleep(1.0)
            name = f"{time.monotonic_ns()}.eml"
            (self.folder / name).write_bytes(message.message().as_bytes())
        return len(email_messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sasaeai-workerkill-") as work:
        folder = Path(work)
        maildir = folder / "mail"
        maildir.mkdir()
        if args.db == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
            psql(f'CREATE DATABASE "{SCRATCH}"')
            database = f"{PG_SERVER}/{SCRATCH}"
        else:
            database = f"sqlite:///{folder / 'db.sqlite3'}"
        env = {
            **os.environ, "SASAEAI_TESTING": "1", "DATABASE_URL": database,
            "MEDIA_ROOT": str(folder / "media"), "EMAIL_BACKEND": "worker_kill.SlowMailbox",
            "WORKER_KILL_MAILDIR": str(maildir), "PYTHONPATH": str(ROOT / "bench"),
        }  # fmt: skip
        try:
            return run(env, maildir, args.db)
        finally:
            if args.db == "postgres":
                psql(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def run(env: dict[str, str], maildir: Path, db: str) -> int:
    manage(env, "migrate", "--noinput", "-v", "0")
    task_id = manage(env, "shell", "-c", SETUP).stdout.split()[-1]
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [PYTHON, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1", "-v", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(list(maildir.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # well inside the third mail's second
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    mails_before = len(list(maildir.iterdir()))
    left = manage(env, "shell", "-c", STATE.format(id=task_id)).stdout.split()[-1]
    restart = manage(env, "run_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "1")
    final = manage(env, "shell", "-c", STATE.format(id=task_id)).stdout.split()[-1]
    per_person = Counter(message_from_bytes(path.read_bytes())["To"] for path in maildir.iterdir())
    output = restart.stdout + restart.stderr
    result = {
        "db": db,
        "mails_before_the_kill": mails_before,
        "task_after_the_kill": left,
        "put_back_at_restart": "back in the queue" in output,
        "task_after_the_restart": final,
        "people_mailed": len(per_person),
        "most_mails_to_one_person": max(per_person.values(), default=0),
        "logged_as_uncertain": output.count("may not have gone"),
    }
    print(json.dumps(result))
    good = left == "RUNNING" and final == "SUCCESSFUL" and result["most_mails_to_one_person"] == 1
    return 0 if good else 1


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_SERVER, "-q", "-c", sql], check=True)  # noqa: S603, S607


if __name__ == "__main__":
    sys.exit(main())
