"""Two staff edit the same event kind, or the same 年度's plan, at once: the second to save is
told, nothing of theirs is written, and a second press after looking saves
(lib/optimistic.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.events.models import EventKind, PlanTarget
from sasaeai.lib.tests.conflicts import TOLD, form_on, opened, second_saver_is_told
from sasaeai.test import area

from .builders import kind

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_an_event_kind_is_told(users: dict) -> None:
    training = kind("training")
    second_saver_is_told(
        f"/staff/events/kinds/{training.pk}/", (users["ward"], users["admin"]), "name",
        ("生活支援コーディネーター研修", "SC養成研修"),
        lambda: EventKind.objects.get(pk=training.pk).name,
    )  # fmt: skip


def test_the_second_saver_of_the_year_plan_is_told(users: dict) -> None:
    training = kind("training")
    PlanTarget.objects.create(
        municipality=area("131199"), fiscal_year=2026, kind=training, min_count=2, max_count=3
    )
    second_saver_is_told(
        "/staff/events/plan/edit/?year=2026", (users["ward"], users["admin"]),
        f"k{training.pk}-min_count", ("3", "1"),
        lambda: str(PlanTarget.objects.get(kind=training, fiscal_year=2026).min_count),
    )  # fmt: skip


def test_a_plan_begun_by_two_at_once_is_not_overwritten(users: dict) -> None:
    """Both open a 年度 with no plan yet: the first to save makes it; the second is told
    what the first planned, and nothing of theirs is written."""
    training = kind("training")
    url, field = "/staff/events/plan/edit/?year=2027", f"k{training.pk}"
    first, second = Client(), Client()
    mine, theirs = opened(first, users["ward"], url), opened(second, users["admin"], url)
    assert mine["version"] == "new"
    done = first.post(url, {**mine, f"{field}-min_count": "4", f"{field}-max_count": "5"})
    assert done.status_code == 302
    refused = second.post(url, {**theirs, f"{field}-min_count": "1", f"{field}-max_count": "1"})
    page = refused.content.decode()
    assert refused.status_code == 409 and TOLD in page
    assert "4〜5回" in page  # what the first planned, beside the kind's name
    assert form_on(page)[f"{field}-min_count"] == "1"  # their input kept
    saved = PlanTarget.objects.get(kind=training, fiscal_year=2027)
    assert (saved.min_count, saved.max_count) == (4, 5)


def test_clearing_a_plan_someone_changed_is_refused_too(users: dict) -> None:
    training = kind("training")
    PlanTarget.objects.create(
        municipality=area("131199"), fiscal_year=2026, kind=training, min_count=2, max_count=3
    )
    url, field = "/staff/events/plan/edit/?year=2026", f"k{training.pk}"
    first, second = Client(), Client()
    mine, theirs = opened(first, users["ward"], url), opened(second, users["admin"], url)
    emptied = {f"{field}-min_count": "", f"{field}-max_count": ""}
    assert first.post(url, {**mine, **emptied}).status_code == 302
    assert not PlanTarget.objects.filter(kind=training).exists()
    refused = second.post(url, {**theirs, f"{field}-max_count": "4"})
    assert refused.status_code == 409 and "（計画しない）" in refused.content.decode()
    assert not PlanTarget.objects.filter(kind=training).exists()
