"""Two staff edit the same training or local event at once: the second to save is told,
nothing of theirs is written, and a second press after looking saves (lib/optimistic.py).
The race below stands for every app's: they all take the record by `optimistic.claim`."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import connection

from sasaeai.events import services
from sasaeai.events.local_models import LocalEvent
from sasaeai.events.models import Event
from sasaeai.lib import optimistic
from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.test import at_once

from .builders import make_event, make_local_event

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_training_is_told(users: dict) -> None:
    event = make_event(venue="板橋区役所 大会議室")
    second_saver_is_told(
        f"/staff/events/{event.pk}/edit/", (users["ward"], users["admin"]), "venue",
        ("板橋区役所 第1会議室", "グリーンホール 601"),
        lambda: Event.objects.get(pk=event.pk).venue,
    )  # fmt: skip


def test_the_second_saver_of_a_local_event_is_told(users: dict) -> None:
    event = make_local_event(venue="高島平地域センター")
    second_saver_is_told(
        f"/staff/events/local/{event.pk}/edit/", (users["sc"], users["block"]), "venue",
        ("高島平地域センター 和室", "高島平ふれあい館"),
        lambda: LocalEvent.objects.get(pk=event.pk).venue,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_saves_of_an_event_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    event = make_event(venue="板橋区役所 大会議室")
    read = event.updated_at
    rooms = itertools.count(1)  # its next() is atomic: one room per thread

    def save() -> str:
        mine = Event.objects.get(pk=event.pk)
        mine.venue = f"第{next(rooms)}会議室"
        try:
            services.save_event(mine, version=read)
        except optimistic.Stale:
            return "told"
        return mine.venue

    results = at_once(4, save)
    assert sorted(results, key=lambda r: r == "told")[1:] == ["told"] * 3
    winner = next(r for r in results if r != "told")
    assert Event.objects.get(pk=event.pk).venue == winner
