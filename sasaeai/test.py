"""Small builders shared by the tests: areas of two municipalities and a user per role; the
queued tasks run as the worker would."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.tasks import TaskContext
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.loader import load_areas
from sasaeai.areas.models import Area
from sasaeai.lib import memo

DATA = Path(settings.BASE_DIR) / "data" / "areas"
PASSWORD = "correct-horse-battery-staple"
ITABASHI_HOST = "itabashi.test"
OTHER_HOST = "midori.example.jp"


def load_itabashi() -> Area:
    load_areas(DATA / "itabashi.csv")
    return area("131199")


def load_other_town() -> Area:
    load_areas(DATA / "example-town.csv")
    return area("999991")


def load_towns() -> Area:
    """Both towns' areas (the other town first), as load_other_town and load_itabashi leave
    them; Itabashi's root.

    Loading through `load_areas` (each area saved, each new municipality seeding its kinds,
    every row audited) costs about a third of a second, paid by most tests: the first load in
    a process is recorded row for row and later ones write the same rows back in one insert
    per table (`_Recording`)."""
    recording = _recordings.get(connection.alias)
    if Area.objects.exists():  # some areas are here already: nothing to record or replay
        load_other_town()
        load_itabashi()
    elif recording is not None and recording.fits():
        recording.replay()
    else:
        _recordings[connection.alias] = _Recording.make(load_other_town, load_itabashi)
    return area("131199")


class _Recording:
    """The rows a piece of set-up work wrote, by model, to be written again without the work.

    Fit to replay only on a database whose content types are the ones it was made on (the
    rows refer to them: audit entries): a flush (transactional tests) makes them anew."""

    def __init__(self, rows: list[tuple[type[Model], list[dict[str, Any]]]], marks: Any) -> None:
        self.rows, self.marks = rows, marks

    @staticmethod
    def _marks() -> Any:
        return list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))

    @classmethod
    def make(cls, *work: Callable[[], object]) -> _Recording:
        every = apps.get_models(include_auto_created=True)
        models = [m for m in every if m._meta.managed and not m._meta.proxy]
        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
        for step in work:
            step()
        rows = []
        for model in models:
            written = [
                r
                for r in model._base_manager.values()
                if r[model._meta.pk.attname] not in before[model]
            ]
            if written:
                rows.append((model, written))
        return cls(rows, cls._marks())

    def fits(self) -> bool:
        return self._marks() == self.marks

    def replay(self) -> None:
        with transaction.atomic():
            for model, rows in self.rows:
                model._base_manager.bulk_create([model(**row) for row in rows])
            if connection.vendor == "postgresql":  # new rows numbered after these
                models = [model for model, _ in self.rows]
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
        memo.forget()


_recordings: dict[str, _Recording] = {}


def built_once[T](django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: what `build` makes, made once inside a transaction that is
    rolled back when the module ends; each test runs in a savepoint of it, as with Django's
    TestCase.setUpTestData."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def make_user(email: str, role: str | None = None, area_code: str = "", **extra: Any) -> User:
    """A user with a password and, when given a role, that role on the area and TOTP set up."""
    place = area(area_code) if area_code else None
    user = User.objects.create_user(
        email, PASSWORD, municipality=place.municipality if place else None, **extra
    )
    if role is not None and place is not None:
        Membership.objects.create(user=user, area=place, role=role)
        if role != Role.COUNCIL_MEMBER:
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            setattr(user, "totp_secret", secret)  # noqa: B010 - read back by totp_code
    return user


def totp_code(user: User, ahead: int = 0) -> str:
    """The current sign-in code of a user made by make_user with a staff role, or the one
    `ahead` periods later (accepted too, within MFA_TOTP_TOLERANCE; a code works once)."""
    secret: str = getattr(user, "totp_secret")  # noqa: B009 - set only by make_user
    # The current period (allauth's counters start a tolerance earlier: a code of the previous
    # period, which stops working as soon as the period turns).
    counter = int(time.time()) // app_settings.TOTP_PERIOD + ahead
    return format_hotp_value(hotp_value(secret, counter))


# One user per role on Itabashi, plus outsiders: a region SC of another region and
# an administrator of another municipality.
ROLE_USERS = {
    "admin": (Role.ADMIN, "131199"),
    "ward": (Role.WARD_STAFF, "131199"),
    "block": (Role.BLOCK_SC, "blk-akatsuka"),
    "sc": (Role.REGION_SC, "takashimadaira"),
    "member": (Role.COUNCIL_MEMBER, "takashimadaira"),
    "institution": (Role.INSTITUTION_STAFF, "takashimadaira"),
    "other_sc": (Role.REGION_SC, "itabashi"),
    "other_admin": (Role.ADMIN, "999991"),
}


def make_role_users() -> dict[str, User]:
    return {
        name: make_user(f"{name}@example.jp", role, code)
        for name, (role, code) in ROLE_USERS.items()
    }


def at_once[T](count: int, work: Callable[[], T]) -> list[T]:
    """Run `work` in `count` threads that start together (each with its own database
    connection: PostgreSQL only, as SQLite's test database is not shared); their results, or
    the test fails with the errors."""
    from django.db import connection

    barrier = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def run_tasks() -> int:
    """Run every enqueued task once, as the worker would (the worker itself closes the
    database connection, which a test's transaction cannot survive); return how many ran."""
    ran = 0
    for queued in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task = import_string(queued.task_path)
        args = queued.args_kwargs["args"]
        if task.takes_context:  # as the worker calls it (lib.tasks.send_notice_mail)
            args = [TaskContext(task_result=queued.task_result), *args]
        task.call(*args, **queued.args_kwargs["kwargs"])
        queued.delete()
        ran += 1
    return ran
