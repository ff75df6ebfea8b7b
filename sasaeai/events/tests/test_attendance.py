"""Staff record attendance; each SC's history; attendance per SC, region and block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import Role, User
from sasaeai.events.models import Event, Registration, RegistrationStatus
from sasaeai.test import make_user

from .builders import at, make_event


def registered(event: Event, *people: User) -> list[Registration]:
    return [Registration.objects.create(event=event, user=p, status=RegistrationStatus.REGISTERED)
            for p in people]  # fmt: skip


@pytest.mark.django_db
def test_staff_record_who_came(client: Client, users: dict) -> None:
    event = make_event(starts_at=timezone.now() - dt.timedelta(days=1))
    came, missed = registered(event, users["sc"], users["other_sc"])
    client.force_login(users["ward"])
    response = client.post(f"/staff/events/{event.pk}/attendance/", {"present": [came.pk]})
    assert "出席を記録しました（1人）" in client.get(response["Location"]).content.decode()
    came.refresh_from_db()
    missed.refresh_from_db()
    assert came.attended is True and missed.attended is False


@pytest.mark.django_db
def test_attendance_before_the_event_is_refused(client: Client, users: dict) -> None:
    event = make_event()
    (registration,) = registered(event, users["sc"])
    client.force_login(users["ward"])
    response = client.post(f"/staff/events/{event.pk}/attendance/", {"present": [registration.pk]})
    assert "開催前のため" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.django_db
def test_sc_sees_their_history_by_fiscal_year(client: Client, users: dict) -> None:
    old = make_event(title="昨年度の研修", starts_at=at(2025, 5, 1))
    new = make_event(title="今年度の連絡会", kind_code="sc-liaison", starts_at=at(2026, 5, 1))
    for event in (old, new):
        (r,) = registered(event, users["sc"])
        r.attended = event is old
        r.save()
    client.force_login(users["sc"])
    page = client.get("/staff/events/history/").content.decode()
    assert page.index("2026年度") < page.index("今年度の連絡会") < page.index("2025年度")
    assert page.index("2025年度") < page.index("昨年度の研修")
    client.force_login(users["ward"])
    page = client.get(f"/staff/events/people/{users['sc'].pk}/").content.decode()
    assert "昨年度の研修" in page and "出席" in page


@pytest.mark.django_db
def test_attendance_report_per_sc_region_and_block(client: Client, users: dict) -> None:
    narimasu = make_user("nari@example.jp", Role.REGION_SC, "narimasu", display_name="成増 SC")
    one = make_event(starts_at=at(2026, 5, 1))
    two = make_event(starts_at=at(2026, 9, 1), kind_code="sc-liaison")
    other_year = make_event(starts_at=at(2025, 9, 1))
    for event, who in ((one, [users["sc"], narimasu]), (two, [users["sc"]]),
                       (other_year, [narimasu])):  # fmt: skip
        for r in registered(event, *who):
            r.attended = True
            r.save()
    Registration.objects.filter(event=two).update(attended=False)
    client.force_login(users["block"])  # the 赤塚 block: 高島平 and 成増
    response = client.get("/staff/events/attendance/?year=2026")
    report = response.context["report"]
    people = {t.label: (t.registered, t.attended) for t in report.people}
    assert people == {"sc@example.jp": (2, 1), "成増 SC": (1, 1), "block@example.jp": (0, 0)}
    regions = {t.label: (t.people, t.registered, t.attended) for t in report.regions}
    assert regions == {"成増": (1, 1, 1), "高島平": (1, 2, 1)}
    blocks = {t.label: (t.people, t.registered, t.attended) for t in report.blocks}
    assert blocks == {"赤塚ブロック": (3, 3, 2)}
    assert "板橋" not in {t.label for t in report.regions}
