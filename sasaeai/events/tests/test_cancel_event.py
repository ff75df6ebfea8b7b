"""Calling an event off (中止): staff who may publish it give a reason; everyone registered
or waiting hears once, by a task; the event shows as 中止 everywhere and takes no more
registrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sasaeai.accounts.models import Role
from sasaeai.events import services
from sasaeai.events.models import Event, Notice, PlanTarget, Registration, RegistrationStatus
from sasaeai.test import area, make_user

from .builders import kind, make_event, run_tasks

S = RegistrationStatus
REASON = "台風が近づいているため"


def call_off(client: Client, event: Event, capture: Any, reason: str = REASON) -> Any:
    with capture(execute=True):
        return client.post(f"/staff/events/{event.pk}/call-off/", {"reason": reason})


@pytest.fixture
def full_event(users: dict) -> Event:
    """A training with one seat: 高島平's SC holds it, 板橋's SC waits, 成増's SC withdrew."""
    event = make_event(capacity=1, title="第2回 第2層SC等研修会")
    services.register(event, users["sc"])
    services.register(event, users["other_sc"])
    gone = make_user("gone@example.jp", Role.REGION_SC, "narimasu")
    services.register(event, gone)
    services.cancel(event, gone)
    make_user("bystander@example.jp", Role.REGION_SC, "narimasu")
    return event


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client: Client, itabashi: object) -> None:
    event = make_event()
    for method in (client.get, client.post):
        response = method(f"/staff/events/{event.pk}/call-off/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_who_may_call_it_off(client: Client, users: dict) -> None:
    event = make_event("131199")
    client.force_login(users["sc"])  # sees the municipality's training, may not call it off
    assert client.get(f"/staff/events/{event.pk}/call-off/").status_code == 403
    assert client.post(f"/staff/events/{event.pk}/call-off/", {"reason": "x"}).status_code == 403
    region = make_event("takashimadaira")
    client.force_login(users["other_sc"])  # another region: not even visible
    assert client.post(f"/staff/events/{region.pk}/call-off/", {"reason": "x"}).status_code == 404
    client.force_login(users["other_admin"])  # another municipality
    assert client.get(f"/staff/events/{event.pk}/call-off/").status_code == 404
    for name in ("member", "institution"):
        client.force_login(users[name])
        assert client.get(f"/staff/events/{event.pk}/call-off/").status_code == 403
    assert not Event.objects.called_off().exists()
    client.force_login(users["ward"])
    page = client.get(f"/staff/events/{event.pk}/call-off/").content.decode()
    assert "中止の理由" in page and "中止にして知らせる" in page


@pytest.mark.django_db
def test_registrants_and_waiters_hear_once_and_nothing_personal(
    client: Client, users: dict, full_event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(users["ward"])
    response = call_off(client, full_event, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/staff/events/{full_event.pk}/"
    assert "中止にしました" in client.get(response["Location"]).content.decode()
    assert mail.outbox == []  # the page never waits for mail
    task = DBTaskResult.objects.get()
    assert task.task_path == "sasaeai.events.tasks.notify_cancelled"
    assert task.args_kwargs == {"args": [full_event.pk], "kwargs": {}}

    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["other_sc@example.jp", "sc@example.jp"]
    message = mail.outbox[0]
    assert "中止" in message.subject and "第2回 第2層SC等研修会" in message.subject
    assert "中止になりました" in message.body and f"/staff/events/{full_event.pk}/" in message.body
    assert REASON not in message.body  # staff's free text stays in the app
    assert "sc@example.jp" not in message.body and "other_sc" not in message.body
    assert Notice.objects.filter(event=full_event, reason="cancelled").count() == 2

    assert services.tell_cancelled(full_event.pk) == 0  # the task again: nobody twice
    response = call_off(client, full_event, django_capture_on_commit_callbacks)
    assert "もう中止になっています" in client.get(response["Location"]).content.decode()
    run_tasks()
    assert len(mail.outbox) == 2
    # Registrations are kept as the record of who had applied.
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert (
        statuses["sc@example.jp"] == S.REGISTERED and statuses["other_sc@example.jp"] == S.WAITING
    )


@pytest.mark.django_db
def test_a_reason_is_required_and_nothing_changes_without_one(
    client: Client, users: dict, full_event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(users["ward"])
    for reason in ("", "   ", "あ" * 301):
        response = call_off(client, full_event, django_capture_on_commit_callbacks, reason)
        assert response.status_code == 200
        text = response.content.decode()
        assert "中止の理由を入れてください" in text or "300文字までにしてください" in text
    full_event.refresh_from_db()
    assert not full_event.is_cancelled and full_event.sequence == 0
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_called_off_event_shows_as_such_and_takes_no_registrations(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(title="SC連絡会", capacity=10)
    client.force_login(users["ward"])
    call_off(client, event, django_capture_on_commit_callbacks)

    client.force_login(users["sc"])
    page = client.get("/staff/events/").content.decode()
    assert "中止" in page and "SC連絡会" in page
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "中止になりました" in page and REASON in page and "申し込む" not in page
    response = client.post(f"/staff/events/{event.pk}/register/")
    assert "中止になりました" in client.get(response["Location"]).content.decode()
    assert not Registration.objects.exists()

    client.force_login(users["ward"])
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "編集する" not in page and "中止にする" not in page
    response = client.get(f"/staff/events/{event.pk}/edit/")
    assert "中止した催しは編集できません" in client.get(response["Location"]).content.decode()
    event.refresh_from_db()
    with pytest.raises(services.ValidationError, match="中止"):
        services.record_attendance(event, [], now=event.ends_at)


@pytest.mark.django_db
def test_a_draft_or_an_ended_event_cannot_be_called_off(client: Client, users: dict) -> None:
    draft = make_event(published=False)
    ended = make_event(starts_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(users["ward"])
    for event, message in ((draft, "削除してください"), (ended, "終わった催しは中止にできません")):
        response = client.post(f"/staff/events/{event.pk}/call-off/", {"reason": REASON})
        assert message in client.get(response["Location"]).content.decode()
        assert (
            "中止にできません"
            in client.get(
                client.get(f"/staff/events/{event.pk}/call-off/")["Location"]
            ).content.decode()
        )
    assert not Event.objects.called_off().exists()


@pytest.mark.django_db
def test_calendars_get_status_cancelled_under_the_same_uid_and_a_higher_sequence(
    client: Client, users: dict
) -> None:
    event = make_event(title="公開フォーラム", is_public=True)
    services.register(event, users["sc"])

    def vevent(url: str) -> Any:
        (item,) = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
        return item

    before = vevent("/events/calendar.ics")
    assert before["STATUS"] == "CONFIRMED"
    services.cancel_event(event, REASON)
    client.force_login(users["sc"])
    page = client.get("/staff/events/calendar/").content.decode()
    start = page.index("http://testserver/events/calendar/")
    personal = page[start : page.index('"', start)].removeprefix("http://testserver")
    client.logout()
    for url in ("/events/calendar.ics", personal):
        after = vevent(url)
        assert after["STATUS"] == "CANCELLED"
        assert str(after["UID"]) == str(before["UID"]) == f"{event.uid}@sasaeai"
        assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
        assert "中止" in str(after["SUMMARY"])


@pytest.mark.django_db
def test_a_called_off_event_does_not_count_towards_the_plan(client: Client, users: dict) -> None:
    event = make_event(title="研修")
    PlanTarget.objects.create(municipality=area("131199"), fiscal_year=event.fiscal_year,
                              kind=kind(), min_count=1, max_count=1)  # fmt: skip
    client.force_login(users["ward"])
    url = f"/staff/events/plan/?year={event.fiscal_year}"
    assert "計画どおり" in client.get(url).content.decode()
    services.cancel_event(event, REASON)
    assert "あと1回" in client.get(url).content.decode()
