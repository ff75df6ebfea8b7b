"""lib/optimistic.py: the version a form carries, the conditional UPDATE that takes a record
for one save, and the page that tells a second saver."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.db import connection, transaction

from sasaeai.councils.models import Council
from sasaeai.councils.tests.builders import make_council
from sasaeai.lib import optimistic


class VenueForm(optimistic.Versioned, forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "venue"]


def test_a_version_goes_to_the_page_and_back_to_the_microsecond() -> None:
    at = dt.datetime(2026, 12, 7, 23, 59, 58, 123456, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert optimistic.token(at) == "2026-12-07T14:59:58.123456+00:00"
    assert optimistic.parse(optimistic.token(at)) == at
    assert optimistic.token(None) == optimistic.parse("new") == optimistic.NEW
    assert optimistic.parse("  ") is None
    for broken in ("yesterday", "2026-12-07T14:59:58"):  # no time zone: not one of ours
        with pytest.raises(ValueError):
            optimistic.parse(broken)


@pytest.mark.django_db
def test_only_the_first_claim_of_a_version_wins(itabashi: Any) -> None:
    council = make_council(venue="集会所")
    read = council.updated_at
    with transaction.atomic():
        optimistic.claim(council, read)
        council.venue = "地域センター"
        council.save()
    late = Council.objects.get(pk=council.pk)
    with pytest.raises(optimistic.Stale) as refused, transaction.atomic():
        optimistic.claim(late, read)
    assert refused.value.current is not None
    assert refused.value.current.venue == "地域センター"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_nothing_to_check_takes_nothing(itabashi: Any) -> None:
    council = make_council()
    before = council.updated_at
    optimistic.claim(council, None)  # an import, the demo: no version read
    assert Council.objects.get(pk=council.pk).updated_at == before


@pytest.mark.django_db
def test_a_record_opened_as_new_is_stale_once_someone_made_it(itabashi: Any) -> None:
    council = make_council()
    with pytest.raises(optimistic.Stale), transaction.atomic():
        optimistic.claim(council, optimistic.NEW)
    with pytest.raises(optimistic.Stale):
        optimistic.unclaimed_new(Council, optimistic.NEW, pk=council.pk)
    optimistic.unclaimed_new(Council, optimistic.NEW, pk=council.pk + 1)


@pytest.mark.django_db
def test_a_version_the_database_wrote_itself_still_matches(itabashi: Any) -> None:
    """SQLite keeps a time written by SQL as the text it was given (milliseconds), which no
    longer equals Django's text for the same instant: the claim compares the instants."""
    council = make_council()
    now = "STRFTIME('%Y-%m-%d %H:%M:%f', 'now')" if connection.vendor == "sqlite" else "now()"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE councils_council SET updated_at = {now} WHERE id = %s",  # noqa: S608 - ours
            [council.pk],
        )
    council = Council.objects.get(pk=council.pk)
    with transaction.atomic():
        optimistic.claim(council, council.updated_at)
    assert Council.objects.get(pk=council.pk).updated_at > council.updated_at


@pytest.mark.django_db
def test_the_form_carries_the_version_and_tells_the_second_saver(itabashi: Any) -> None:
    council = make_council(name="支え合い会議", venue="集会所")
    opened = VenueForm(instance=council)
    assert opened["version"].value() == optimistic.token(council.updated_at)
    assert opened["version"].is_hidden

    council.venue = "地域センター"
    council.save()  # someone else's save
    sent = {"name": "支え合い会議", "venue": "区役所", "version": opened["version"].value()}
    form = VenueForm(sent, instance=Council.objects.get(pk=council.pk))
    assert form.is_valid() and "version" not in form.cleaned_data
    assert not optimistic.saved(form, link="/staff/councils/1/")

    assert optimistic.status(form) == 409
    assert str(optimistic.STALE) in form.non_field_errors()
    assert form.stale == optimistic.Saved([("会場", "地域センター")], "/staff/councils/1/")
    assert form["venue"].value() == "区役所"  # their input stays in the form
    assert form["version"].value() == optimistic.token(council.updated_at)  # now the saved one
    assert Council.objects.get(pk=council.pk).venue == "地域センター"


@pytest.mark.django_db
def test_a_form_sent_without_a_version_checks_the_one_the_request_read(itabashi: Any) -> None:
    council = make_council(venue="集会所")
    form = VenueForm({"name": council.name, "venue": "区役所"}, instance=council)
    assert form.is_valid() and form.version_read == council.updated_at
    assert optimistic.saved(form) and optimistic.status(form) == 200
    assert Council.objects.get(pk=council.pk).venue == "区役所"
