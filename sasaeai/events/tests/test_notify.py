"""Publishing tells each SC the event is for exactly once, by a background task, with the
event's title, date and link only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from sasaeai.accounts.models import Role
from sasaeai.events.models import Event, Notice
from sasaeai.test import make_user

from .builders import make_event, run_tasks


@pytest.fixture
def scs(users: dict) -> dict[str, Any]:
    """Besides the role users: a second SC of 高島平 and an SC of 成増 (same block)."""
    return {
        "sc2": make_user(
            "sc2@example.jp", Role.REGION_SC, "takashimadaira", display_name="平 二郎"
        ),
        "narimasu": make_user("nari@example.jp", Role.REGION_SC, "narimasu"),
        "retired": make_user("old@example.jp", Role.REGION_SC, "narimasu", is_active=False),
    }


def publish(client: Client, event: Event, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(f"/staff/events/{event.pk}/publish/")


@pytest.mark.django_db
def test_publishing_enqueues_one_task_and_the_page_sends_no_mail(
    client: Client, users: dict, scs: dict, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event("blk-akatsuka", "block-liaison", published=False,
                       title="赤塚ブロック連絡会")  # fmt: skip
    client.force_login(users["ward"])
    response = publish(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert mail.outbox == []  # the page never waits for mail
    task = DBTaskResult.objects.get()
    assert task.task_path == "sasaeai.events.tasks.announce_event"
    assert task.args_kwargs == {"args": [event.pk], "kwargs": {}}  # an id, nothing personal

    run_tasks()
    # Block SC of 赤塚, SCs of 高島平 (two) and 成増; not the inactive one, not 板橋's SC.
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["block@example.jp", "nari@example.jp", "sc2@example.jp", "sc@example.jp"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    message = mail.outbox[0]
    assert "赤塚ブロック連絡会" in message.subject
    assert f"/staff/events/{event.pk}/" in message.body
    for person in (users["sc"], scs["sc2"]):
        assert person.email not in message.body and "平 二郎" not in message.body
    assert Notice.objects.filter(event=event).count() == 4


@pytest.mark.django_db
def test_publishing_twice_editing_or_rerunning_notifies_nobody_again(
    client: Client, users: dict, scs: dict, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event("takashimadaira", published=False)
    client.force_login(users["ward"])
    publish(client, event, django_capture_on_commit_callbacks)
    run_tasks()
    assert len(mail.outbox) == 2  # the two SCs of 高島平
    response = publish(client, event, django_capture_on_commit_callbacks)
    assert "もう公開されています" in client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/events/{event.pk}/edit/", {
            "title": "研修（会場変更）", "kind": event.kind_id, "area": event.area_id,
            "organiser": "社協", "starts_at": event.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": event.ends_at.strftime("%Y-%m-%dT%H:%M"),
        })  # fmt: skip
    assert Event.objects.get().title == "研修（会場変更）"
    from sasaeai.events import services

    assert services.announce(event.pk) == 0  # a second run of the task, too
    run_tasks()
    assert len(mail.outbox) == 2
    assert Notice.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_an_unpublished_event_is_never_announced(users: dict) -> None:
    from sasaeai.events import services

    event = make_event(published=False)
    assert services.announce(event.pk) == 0 and mail.outbox == []


@pytest.mark.django_db
def test_the_mail_link_is_absolute_with_the_configured_site_url(users: dict, settings: Any) -> None:
    from sasaeai.events import services

    settings.SASAEAI_BASE_URL = "https://sasaeai.example.jp/"
    event = make_event("takashimadaira")
    assert services.announce(event.pk) == 1
    assert f"\nhttps://sasaeai.example.jp/staff/events/{event.pk}/\n" in mail.outbox[0].body


@pytest.mark.django_db
def test_without_a_site_url_the_link_uses_the_municipalitys_host(
    users: dict, settings: Any
) -> None:
    from sasaeai.events import services

    settings.SASAEAI_BASE_URL = ""
    make_user("midori-sc@example.jp", Role.REGION_SC, "minami-jhs")
    event = make_event("999991")
    assert services.announce(event.pk) == 1
    assert f"\nhttps://midori.example.jp/staff/events/{event.pk}/\n" in mail.outbox[0].body
