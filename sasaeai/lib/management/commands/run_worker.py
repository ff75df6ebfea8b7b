"""`manage.py run_worker`: django-tasks-db's `db_worker`, which first puts back in the queue
what a killed worker left running (lib/requeue.py) and queues the check that does so every
few minutes. Its worker id names this machine and process, so that the next start here
knows at once that the last worker is gone."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DBWorker

from sasaeai.lib import requeue


class Command(DBWorker):
    help = (
        "Run the task worker (django-tasks-db's db_worker), after putting back in the queue "
        "the tasks a killed worker left running."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=requeue.worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        back = requeue.requeue_stale()
        if back and options["verbosity"]:
            self.stdout.write(f"{back} task(s) left by a stopped worker are back in the queue.")
        requeue.schedule_next()
        super().handle(*args, **options)
