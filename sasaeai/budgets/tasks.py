"""Background mail. Payloads are ids only: never a name, an address or an amount."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def tell_approvers(expense_id: int) -> int:
    """Tell those who may approve it that an expense waits for them."""
    return services.tell_approvers(expense_id)
