"""The task worker killed in the middle of a task: the task goes back in the queue and runs
again (lib/requeue.py), nobody gets a mail twice (lib/delivery.py), and the nightly
anonymisations leave every record whole or fully anonymised, the rerun finishing the rest.

A kill is played in this process: a worker (an id naming a process that has ended) takes the
task as django-tasks-db's worker does, the task stops where a `Killed` is raised — by the
mail server at the third mail, or by the database write of a chosen record — and nothing
after it runs, as after SIGKILL. `bench/worker_kill.py` kills a real worker process."""

from __future__ import annotations

import datetime as dt
import io
import logging
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db.models.signals import post_save
from django.tasks import TaskContext
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from sasaeai.budgets import services as budgets
from sasaeai.budgets.tests.builders import category, make_budget
from sasaeai.directory import network
from sasaeai.directory.models import NetworkRecipient
from sasaeai.directory.tests.network_builders import make_member
from sasaeai.events import services as events
from sasaeai.events.models import LocalEvent, Signup
from sasaeai.events.tasks import purge_local_signups
from sasaeai.events.tests.builders import make_event, make_local_event, make_signup
from sasaeai.lib import delivery, notices, requeue
from sasaeai.lib.models import Delivery
from sasaeai.lib.tasks import requeue_stale, send_notice_mail
from sasaeai.referrals import services as referrals
from sasaeai.referrals.models import Referral, ReferralEvent, Status
from sasaeai.referrals.tests.builders import PERSON, make_institution, make_referral
from sasaeai.support.models import RequestNotice
from sasaeai.support.tests.builders import make_request
from sasaeai.test import area, make_user

pytestmark = pytest.mark.django_db
MESSAGE = notices.Message(
    "【支え合い】応援の依頼 S-00001 に新しい動きがあります",
    "応援の依頼（S-00001）に新しい動きがあります。",
    "https://sasaeai.example.jp/staff/support/1/",
)


class Killed(BaseException):
    """The process stops here: no `except Exception` catches it, as none catches SIGKILL."""


class MailServer:
    """The mail server as the worker sees it: two mails go, and the worker dies at the third
    (until `revive`, after which every mail goes)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent, self.dying, real = 0, True, EmailBackend.send_messages

        def send_messages(backend: EmailBackend, messages: Any) -> int:
            if self.dying and self.sent == 2:
                raise Killed
            self.sent += len(messages)
            return int(real(backend, messages))

        monkeypatch.setattr(EmailBackend, "send_messages", send_messages)

    def revive(self) -> None:
        self.dying = False


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> MailServer:
    return MailServer(monkeypatch)


def dead_worker() -> str:
    """The id a worker on this machine had, whose process has ended."""
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    return requeue.worker_id(process.pid)


def take(worker: str) -> DBTaskResult:
    """Take the next ready task as django-tasks-db's worker does (locked, marked RUNNING)."""
    with exclusive_transaction():
        task = DBTaskResult.objects.ready().get_locked()
        assert task is not None
        task.claim(worker)
    return task


def killed_while_running(task: DBTaskResult) -> None:
    """Run a taken task in this process until it is killed; its row stays RUNNING."""
    args = task.args_kwargs["args"]
    if task.task.takes_context:
        args = [TaskContext(task_result=task.task_result), *args]
    with pytest.raises(Killed):
        task.task.call(*args, **task.args_kwargs["kwargs"])


def worker_runs(task: DBTaskResult) -> None:
    """A live worker takes the task and runs it with django-tasks-db's own code."""
    taken = take(requeue.worker_id())
    assert taken.pk == task.pk
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id=taken.worker_ids[-1],
           excluded_queue_names=[]).run_task(taken)  # fmt: skip


def status(task: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


def each_once(addresses: list[str]) -> None:
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(addresses), to
    assert all(len(m.to) == 1 for m in mail.outbox)


# --- Requeue ------------------------------------------------------------------------------


def enqueue_notice(users: list[Any]) -> DBTaskResult:
    ids = [u.pk for u in users]
    queued = send_notice_mail.enqueue(ids, MESSAGE.subject, MESSAGE.lead, MESSAGE.link, [])
    return DBTaskResult.objects.get(pk=queued.id)


def test_a_task_of_a_dead_worker_goes_back_at_once_a_live_ones_stays(users: dict) -> None:
    task = enqueue_notice([users["sc"]])
    take(dead_worker())
    assert requeue.requeue_stale() == 1 and status(task) == "READY"
    take(requeue.worker_id())  # this very process: alive
    assert requeue.requeue_stale() == 0 and status(task) == "RUNNING"


def test_a_task_running_past_the_limit_goes_back_whatever_its_worker(
    users: dict, settings: Any
) -> None:
    settings.SASAEAI_TASK_RUNNING_LIMIT = 30
    task = enqueue_notice([users["sc"]])
    take("elsewhere:4242:abcd")  # another machine: we cannot see its process
    assert requeue.requeue_stale() == 0
    later = timezone.now() + dt.timedelta(minutes=31)
    assert requeue.requeue_stale(later) == 1 and status(task) == "READY"


def test_a_worker_stopped_hard_inside_a_task_has_it_run_again_not_a_failing_task(
    users: dict,
) -> None:
    stopped, failing = enqueue_notice([users["sc"]]), enqueue_notice([users["ward"]])
    DBTaskResult.objects.filter(pk=stopped.pk).update(
        status="FAILED", exception_class_path="builtins.SystemExit", worker_ids=["a"]
    )
    DBTaskResult.objects.filter(pk=failing.pk).update(
        status="FAILED", exception_class_path="smtplib.SMTPException", worker_ids=["a"]
    )
    assert requeue.requeue_stale() == 1
    assert (status(stopped), status(failing)) == ("READY", "FAILED")


def test_a_task_that_kills_its_worker_every_time_is_given_up(
    users: dict, caplog: pytest.LogCaptureFixture
) -> None:
    task = enqueue_notice([users["sc"]])
    for _run in range(requeue.MAX_RUNS):
        take(dead_worker())
        requeue.requeue_stale()
    row = DBTaskResult.objects.get(pk=task.pk)
    assert row.status == "FAILED" and row.exception_class_path == requeue.GAVE_UP
    assert "never finished" in caplog.text


def test_the_check_runs_every_few_minutes_queued_once(users: dict) -> None:
    first = requeue.schedule_next()
    assert first is not None and requeue.schedule_next() is None
    assert requeue_stale.call() == 0  # the run queues the next one only if none waits
    assert DBTaskResult.objects.filter(task_path=requeue_stale.module_path).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_puts_back_at_its_start_what_a_killed_worker_left_and_runs_it(
    itabashi: Any,
) -> None:
    told = [make_user(f"staff{n}@example.jp", "sc", "takashimadaira") for n in range(3)]
    task = enqueue_notice(told)
    take(dead_worker())  # and then the machine went down
    out = io.StringIO()
    call_command("run_worker", batch=True, reload=False, startup_delay=False, stdout=out,
                 verbosity=1)  # fmt: skip
    assert "1 task(s) left by a stopped worker are back in the queue" in out.getvalue()
    assert status(task) == "SUCCESSFUL"
    each_once([u.email for u in told])
    waiting = DBTaskResult.objects.filter(task_path=requeue_stale.module_path, status="READY")
    assert waiting.count() == 1  # the check every few minutes is queued


# --- No mail twice ------------------------------------------------------------------------


def five(users: dict) -> list[Any]:
    return [users[name] for name in ("admin", "ward", "block", "sc", "member")]


def test_a_notice_mail_killed_after_two_of_five_runs_again_and_each_gets_one(
    users: dict, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    told = five(users)
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify(told, RequestNotice, MESSAGE, request=make_request(by=users["admin"]))
    killed_while_running(task := take(dead_worker()))
    assert len(mail.outbox) == 2 and status(task) == "RUNNING"
    server.revive()
    assert requeue.requeue_stale() == 1
    worker_runs(task)
    assert status(task) == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=task.pk).return_value == 3  # the three not yet told
    each_once([u.email for u in told])
    assert RequestNotice.objects.count() == 5  # the notices were there before any mail


def test_a_mail_the_killed_worker_had_on_its_way_is_not_sent_again_but_logged(
    users: dict, caplog: pytest.LogCaptureFixture
) -> None:
    told = five(users)
    task = enqueue_notice(told)
    # Killed by SIGKILL while the third mail was with the mail server: claimed, not marked.
    third = delivery.user_key(told[2])
    Delivery.objects.create(
        kind="lib.notice", record=str(task.pk), recipient=third, claimed_at=timezone.now()
    )
    worker_runs(task)
    each_once([u.email for i, u in enumerate(told) if i != 2])
    assert "may not have gone: not sent again" in caplog.text
    assert str(told[2].pk) in caplog.text and told[2].email not in caplog.text


def run_killed_then_again(call: Callable[[], Any]) -> Any:
    with pytest.raises(Killed):
        call()
    assert len(mail.outbox) == 2


def test_the_events_mails_run_again_tell_each_once(users: dict, server: MailServer) -> None:
    event = make_event(published=True, area_code="131199")  # for every SC of the ward
    audience = [u for u in events.audience(event) if u.email]
    assert len(audience) >= 3
    run_killed_then_again(lambda: events.announce(event.pk))
    server.revive()
    assert events.announce(event.pk) == len(audience) - 2
    each_once([u.email for u in audience])
    assert events.announce(event.pk) == 0 and len(mail.outbox) == len(audience)


def test_the_approvers_mail_run_again_tells_each_once(users: dict, server: MailServer) -> None:
    budget = make_budget()
    expense = budgets.record_expense(
        budget, user=users["sc"], spent_on=dt.date(budget.fiscal_year, 5, 1),
        category=category(), item="会場費", amount=2000,
    )  # fmt: skip
    approvers = [u.email for u in budgets.approvers(expense) if u.email]
    for n in range(3 - len(approvers)):  # at least three to kill at the third
        make_user(f"approver{n}@example.jp", "admin", "131199")
    approvers = [u.email for u in budgets.approvers(expense) if u.email]
    run_killed_then_again(lambda: budgets.tell_approvers(expense.pk))
    server.revive()
    assert budgets.tell_approvers(expense.pk) == len(approvers) - 2
    each_once(approvers)
    assert budgets.tell_approvers(expense.pk) == 0


def test_the_network_mail_run_again_mails_each_organiser_once(
    users: dict, server: MailServer
) -> None:
    chosen = [make_member(f"サロン{n}", contact_email=f"salon{n}@example.jp") for n in range(4)]
    region = area("takashimadaira")
    network.send(region, "次の連絡会は5月20日です。", chosen, users["sc"])
    recipients = list(NetworkRecipient.objects.select_related("member__activity").order_by("pk"))
    run_killed_then_again(lambda: network_mail(recipients))
    mailed = NetworkRecipient.objects.filter(mailed_at__isnull=False).count()
    assert mailed == 2  # marked with its mail, in one transaction
    server.revive()
    assert network_mail(recipients) == 2
    each_once([r.member.activity.contact_email for r in recipients])
    assert not NetworkRecipient.objects.filter(mailed_at__isnull=True).exists()


def network_mail(recipients: list[NetworkRecipient]) -> int:
    from sasaeai.directory.network_tasks import send_network_mail

    return int(send_network_mail.call([r.pk for r in recipients]))


# --- Nothing half-anonymised --------------------------------------------------------------


def dies_at_write(model: type, n: int) -> Callable[..., None]:
    """A receiver that kills the process at the n-th save of `model`, after its UPDATE ran
    and before its transaction ends."""
    seen = {"count": 0}

    def receiver(sender: type, **kwargs: Any) -> None:
        seen["count"] += 1
        if seen["count"] == n:
            raise Killed

    post_save.connect(receiver, sender=model, weak=False)
    return receiver


def held_signups(count: int) -> list[Signup]:
    event = make_local_event()
    signups = [make_signup(event, name=f"青木 {n}", email=f"aoki{n}@example.jp")
               for n in range(count)]  # fmt: skip
    long_ago = timezone.now() - dt.timedelta(days=200)
    ends = long_ago + dt.timedelta(hours=2)
    LocalEvent.objects.filter(pk=event.pk).update(starts_at=long_ago, ends_at=ends)
    return signups


def test_the_signups_erasure_killed_midway_leaves_each_whole_or_erased_and_runs_again(
    itabashi: Any,
) -> None:
    signups = held_signups(5)
    purge_local_signups.enqueue()
    receiver = dies_at_write(Signup, 3)
    try:
        killed_while_running(task := take(dead_worker()))
    finally:
        post_save.disconnect(receiver, sender=Signup)
    rows = [Signup.objects.get(pk=s.pk) for s in signups]
    for row in rows[:2]:
        assert (row.name, row.email, row.phone) == ("", "", "") and row.purged_at is not None
    for row, before in zip(rows[2:], signups[2:], strict=True):
        assert (row.name, row.email) == (before.name, before.email) and row.purged_at is None
    assert requeue.requeue_stale() == 1
    worker_runs(task)
    assert DBTaskResult.objects.get(pk=task.pk).return_value == 3
    assert not Signup.objects.filter(purged_at__isnull=True).exists()
    assert set(Signup.objects.values_list("name", flat=True)) == {""}
    tomorrow = DBTaskResult.objects.filter(task_path=purge_local_signups.module_path,
                                           status="READY")  # fmt: skip
    assert tomorrow.count() == 1  # the chain of nightly runs is not doubled


def expired_referrals(users: dict, count: int) -> list[Referral]:
    institution = make_institution()
    made = [make_referral(institution, by=users["sc"], status=Status.CLOSED) for _ in range(count)]
    long_ago = timezone.now() - dt.timedelta(days=365 * 10)
    Referral.objects.filter(pk__in=[r.pk for r in made]).update(finished_at=long_ago)
    return made


def test_the_referrals_anonymisation_killed_inside_a_referral_leaves_it_whole(
    users: dict,
) -> None:
    made = expired_referrals(users, 3)
    notes = [e for e in ReferralEvent.objects.all() if e.note]  # encrypted: read in Python
    assert {e.referral_id for e in notes} == {r.pk for r in made}  # each has a note to erase
    per_referral = sum(1 for e in notes if e.referral_id == made[0].pk)
    # Killed while erasing the second referral's notes: its person is already blanked
    # inside the transaction, and must come back.
    receiver = dies_at_write(ReferralEvent, per_referral + 1)
    try:
        with pytest.raises(Killed):
            referrals.anonymise_expired()
    finally:
        post_save.disconnect(receiver, sender=ReferralEvent)
    after = {r.pk: Referral.objects.get(pk=r.pk) for r in made}
    done = [r for r in after.values() if r.is_anonymised]
    whole = [r for r in after.values() if not r.is_anonymised]
    assert len(done) == 1 and len(whole) == 2
    assert PERSON not in done[0].person_name and not done[0].person_contact
    assert all(not e.note for e in done[0].events.all())
    for referral in whole:
        assert referral.person_name == PERSON
        assert any(e.note for e in referral.events.all())  # its notes untouched too
    assert referrals.anonymise_expired() == 2
    assert all(r.is_anonymised for r in Referral.objects.filter(pk__in=after))


def test_warnings_name_no_address(caplog: pytest.LogCaptureFixture, users: dict) -> None:
    caplog.set_level(logging.WARNING)
    Delivery.objects.create(kind="x", record="1", recipient="user:1", claimed_at=timezone.now())
    assert delivery.deliver("x", 1, "user:1", lambda: None) is False
    assert "@" not in caplog.text
