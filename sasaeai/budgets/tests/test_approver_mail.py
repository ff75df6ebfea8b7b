"""An expense that waits for approval is mailed to those who may approve it, once per wait,
by a background task, with the council, year, amount and link only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, Role
from sasaeai.budgets import services
from sasaeai.budgets.models import Expense, ExpenseStatus
from sasaeai.events.tests.builders import run_tasks
from sasaeai.test import area, make_user

from .builders import YEAR, category, make_budget

pytestmark = pytest.mark.django_db


def record(budget: Any, user: Any, capture: Any, **fields: Any) -> Expense:
    values: dict[str, Any] = {
        "spent_on": dt.date(YEAR, 7, 1),
        "item": "山田さん宅での茶話会の茶菓",
        "category": category("茶菓代"),
        "amount": 12_345,
    }
    values.update(fields)
    with capture(execute=True):
        return services.record_expense(budget, user=user, **values)


def test_recording_queues_one_task_and_mails_those_above_once(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    retired = make_user("retired@example.jp", Role.BLOCK_SC, "blk-akatsuka", is_active=False)
    budget = make_budget()  # 支え合い会議高島平, approved by 赤塚ブロック and the ward
    expense = record(budget, users["sc"], django_capture_on_commit_callbacks)
    assert mail.outbox == []  # the page never waits for mail
    task = DBTaskResult.objects.get()
    assert task.task_path == "sasaeai.budgets.tasks.tell_approvers"
    assert task.args_kwargs == {"args": [expense.pk], "kwargs": {}}  # an id, nothing else

    run_tasks()
    # The block SC above, the ward's staff and admin; not the region's own SC who recorded
    # it, not a council member, not another region, not another municipality, not the retired.
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["admin@example.jp", "block@example.jp", "ward@example.jp"]
    assert retired.email not in to
    message = mail.outbox[0]
    assert "支え合い会議高島平" in message.subject
    assert "2026年度" in message.body and "12,345円" in message.body
    assert f"/staff/budgets/{budget.council.pk}/{YEAR}/" in message.body
    assert "山田" not in message.body  # the item is free text: not in mail
    assert users["sc"].email not in message.body

    assert services.tell_approvers(expense.pk) == 0  # told once, however often the task runs
    assert len(mail.outbox) == 3


def test_a_rejected_expense_changed_waits_again_and_is_told_again(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    expense = record(make_budget(), users["sc"], django_capture_on_commit_callbacks)
    run_tasks()
    services.decide(expense, user=users["ward"], approve=False, reason="領収書がありません")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_expense(expense, amount=12_000)
    run_tasks()
    assert len(mail.outbox) == 6
    assert "12,000円" in mail.outbox[-1].body
    # A change to an expense still waiting tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_expense(expense, amount=11_000)
    assert run_tasks() == 0 and len(mail.outbox) == 6


def test_an_expense_decided_before_the_task_runs_is_not_mailed(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    expense = record(make_budget(), users["sc"], django_capture_on_commit_callbacks)
    services.decide(expense, user=users["ward"], approve=True)
    run_tasks()
    assert mail.outbox == []
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.APPROVED


def test_holders_of_a_capability_are_those_with_a_role_on_the_area_or_above(
    users: dict,
) -> None:
    holders = access.holders(Capability.PUBLISH, area("takashimadaira"))
    assert sorted(u.email for u in holders) == [
        "admin@example.jp", "block@example.jp", "sc@example.jp", "ward@example.jp",
    ]  # fmt: skip
    assert list(access.holders(Capability.PUBLISH, area("blk-itabashi"))) == [
        users["admin"], users["ward"],
    ]  # fmt: skip


def test_whoever_recorded_it_is_not_told(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    record(make_budget(), users["block"], django_capture_on_commit_callbacks)
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.jp", "ward@example.jp"]


def test_a_failed_mail_leaves_the_expense_to_be_told_by_a_retry(
    users: dict, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    expense = record(make_budget(), users["sc"], django_capture_on_commit_callbacks)

    def refused(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(mail, "send_mail", refused)
        with pytest.raises(ConnectionRefusedError):
            services.tell_approvers(expense.pk)
    assert Expense.objects.get(pk=expense.pk).approvers_told_at is None
    assert services.tell_approvers(expense.pk) == 3
