"""SCs register and cancel before the deadline; a full event keeps a waiting list, and a
cancellation gives the seat to the first waiter, who is told."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import Role
from sasaeai.events import services
from sasaeai.events.models import Notice, Registration, RegistrationStatus
from sasaeai.test import make_user

from .builders import make_event, run_tasks

S = RegistrationStatus


def page(client: Client, response: Any) -> str:
    return client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_sc_registers_then_the_event_is_full_and_the_next_waits(
    client: Client, users: dict
) -> None:
    event = make_event(capacity=1)
    client.force_login(users["sc"])
    response = client.post(f"/staff/events/{event.pk}/register/")
    assert "申し込みました" in page(client, response)
    client.force_login(users["other_sc"])
    response = client.post(f"/staff/events/{event.pk}/register/")
    assert "キャンセル待ちで受け付けました" in page(client, response)
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses == {"sc@example.jp": S.REGISTERED, "other_sc@example.jp": S.WAITING}


@pytest.mark.django_db
def test_cancelling_promotes_the_first_waiter_who_is_told(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(capacity=1, title="SC連絡会")
    third = make_user("third@example.jp", Role.REGION_SC, "narimasu")
    services.register(event, users["sc"])
    services.register(event, users["other_sc"])
    services.register(event, third)
    client.force_login(users["sc"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/events/{event.pk}/cancel/")
    assert "取り消しました" in page(client, response)
    assert mail.outbox == []
    run_tasks()
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses == {"sc@example.jp": S.CANCELLED, "other_sc@example.jp": S.REGISTERED,
                        "third@example.jp": S.WAITING}  # fmt: skip
    assert [m.to for m in mail.outbox] == [["other_sc@example.jp"]]
    assert "参加が決まりました" in mail.outbox[0].subject and "SC連絡会" in mail.outbox[0].subject
    assert Notice.objects.filter(user=users["other_sc"], reason="promoted").count() == 1


@pytest.mark.django_db
def test_after_the_deadline_nothing_changes_and_the_message_says_why(
    client: Client, users: dict
) -> None:
    event = make_event(deadline=timezone.now() - dt.timedelta(hours=1))
    client.force_login(users["sc"])
    response = client.post(f"/staff/events/{event.pk}/register/")
    text = page(client, response)
    assert "申込みの締切" in text and "受け付けられません" in text
    assert "申込みの受付は終わりました" in text
    assert not Registration.objects.exists()

    open_event = make_event()
    services.register(open_event, users["sc"])
    later = open_event.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(services.ValidationError, match="締切"):
        services.cancel(open_event, users["sc"], now=later)
    assert Registration.objects.get(event=open_event).status == S.REGISTERED


@pytest.mark.django_db
def test_only_the_scs_an_event_is_for_may_register(client: Client, users: dict) -> None:
    event = make_event("takashimadaira")
    client.force_login(users["other_sc"])  # an SC of 板橋: not for them, not even visible
    assert client.post(f"/staff/events/{event.pk}/register/").status_code == 404
    client.force_login(users["ward"])  # staff see it, but it is not for them
    response = client.post(f"/staff/events/{event.pk}/register/")
    assert "対象ではありません" in page(client, response)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue(users: dict) -> None:
    event = make_event(capacity=1)
    services.register(event, users["sc"])
    services.register(event, users["other_sc"])
    services.cancel(event, users["other_sc"])
    assert services.register(event, users["other_sc"]).status == S.WAITING
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_a_larger_capacity_promotes_waiters(users: dict) -> None:
    event = make_event(capacity=1)
    services.register(event, users["sc"])
    services.register(event, users["other_sc"])
    event.capacity = 2
    services.save_event(event)
    assert Registration.objects.get(user=users["other_sc"]).status == S.REGISTERED


@pytest.mark.django_db
def test_two_people_at_the_last_seat_sequentially(users: dict) -> None:
    event = make_event(capacity=1)
    first = services.register(event, users["sc"])
    second = services.register(event, users["other_sc"])
    assert {first.status, second.status} == {S.REGISTERED, S.WAITING}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_people_race_for_the_last_seat(itabashi: Any) -> None:
    event = make_event(capacity=3)
    for n in range(2):
        services.register(event, make_user(f"early{n}@example.jp", Role.REGION_SC, "narimasu"))
    racers = [make_user(f"racer{n}@example.jp", Role.REGION_SC, "takashimadaira")
              for n in range(2)]  # fmt: skip
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(user: Any) -> None:
        try:
            barrier.wait()
            services.register(event, user)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(u,)) for u in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    got = sorted(Registration.objects.filter(user__in=racers).values_list("status", flat=True))
    assert got == [S.REGISTERED, S.WAITING]
    assert Registration.objects.registered().count() == 3
