"""Work for the task worker, queued only once the transaction that asks for it is kept."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, object_id: int) -> None:
    """After commit, queue the task at `task_path` (named, not imported: a tasks module
    imports the services that call this) with one id as its only argument."""

    def enqueue() -> None:
        import_string(task_path).enqueue(object_id)

    transaction.on_commit(enqueue)
