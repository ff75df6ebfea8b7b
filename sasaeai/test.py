"""Small builders shared by the tests: areas of two municipalities and a user per role; the
queued tasks run as the worker would."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.tasks import TaskContext
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.loader import load_areas
from sasaeai.areas.models import Area

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
