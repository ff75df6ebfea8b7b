"""Two people save the participants page of a region, or the population page, at once: the
second is told in Japanese, with what the first saved beside their input, and nothing of
theirs is written; pressing 保存する again after looking saves theirs (lib/optimistic.py, each
row carrying the version of its record as it was read). A row removed by the first is told as
such; saves that do not cross, and forms sent without versions, save as before."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from sasaeai.accounts.models import Role
from sasaeai.directory.models import Activity
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib import optimistic
from sasaeai.lib.tests.conflicts import SAVED_NOW, TOLD, _PostForm
from sasaeai.progress import participation
from sasaeai.progress.models import Participation, Population
from sasaeai.progress.participation import FIGURES, RowsStale
from sasaeai.test import area, at_once, make_user

pytestmark = pytest.mark.django_db
PARTICIPANTS = "/staff/progress/takashimadaira/participants/?year=2026"
POPULATION = "/staff/progress/131199/population/?year=2026"


def form_of(page: str) -> dict[str, str]:
    """The page's entry form (the POST form whose rows carry versions), as a browser sends it."""
    parser = _PostForm()
    parser.feed(page)
    found = [f for f in parser.forms if any(name.endswith("-version") for name in f)]
    assert len(found) == 1, "the entry form carries each row's version"
    return {name: values[0] for name, values in found[0].items() if name != "csrfmiddlewaretoken"}


def opened(user: Any, url: str) -> tuple[Client, dict[str, str]]:
    """A person with the page open: their browser, and the form as it would be sent."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return client, form_of(response.content.decode())


@pytest.fixture
def salons(itabashi: Any) -> list[Activity]:
    return [make_activity("いきいきサロン"), make_activity("体操の会")]


def participants(activity: Activity) -> int | None:
    found = Participation.objects.filter(activity=activity, fiscal_year=2026).first()
    return found.participants if found else None


def test_the_second_to_save_the_participants_is_told(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    # The region's SC and the block's SC (the ward side of the region) open the page at once.
    first, mine = opened(users["sc"], PARTICIPANTS)
    second, theirs = opened(users["block"], PARTICIPANTS)
    assert f"a{salon.pk}-version" in mine and mine[f"a{salon.pk}-version"] == "new"
    done = first.post(PARTICIPANTS, mine | {f"a{salon.pk}-participants": "25"})
    assert done.status_code == 302 and participants(salon) == 25

    sent = theirs | {f"a{salon.pk}-participants": "30", f"a{exercise.pk}-participants": "12"}
    refused = second.post(PARTICIPANTS, sent)
    page = refused.content.decode()
    assert refused.status_code == 409, page[-3000:]
    assert TOLD in page and "もう一度「保存する」を押してください" in page
    assert SAVED_NOW in page and escape("いきいきサロン（参加者実人数）") in page
    assert "<dd>25</dd>" in page  # what the first saved
    # Nothing of the second's is written: not the row they crossed, not the other one.
    assert participants(salon) == 25 and participants(exercise) is None
    kept = form_of(page)
    assert kept[f"a{salon.pk}-participants"] == "30"  # their input is still there
    assert kept[f"a{exercise.pk}-participants"] == "12"

    again = second.post(PARTICIPANTS, kept)  # after looking, 保存する again
    assert again.status_code == 302
    assert (participants(salon), participants(exercise)) == (30, 12)


def test_a_row_the_first_removed_is_told_as_removed(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    Participation.objects.create(activity=salon, fiscal_year=2026, month="2027-03-01",
                                 participants=25)  # fmt: skip
    first, mine = opened(users["sc"], PARTICIPANTS)
    second, theirs = opened(users["block"], PARTICIPANTS)
    assert first.post(PARTICIPANTS, mine | {f"a{salon.pk}-participants": ""}).status_code == 302
    assert participants(salon) is None
    # The second only typed the other activity, but would put the removed figures back.
    refused = second.post(PARTICIPANTS, theirs | {f"a{exercise.pk}-participants": "12"})
    page = refused.content.decode()
    assert refused.status_code == 409 and TOLD in page and "ほかの人が消しました" in page
    assert participants(salon) is None and participants(exercise) is None


def test_saves_that_do_not_cross_and_forms_without_versions_save(
    users: dict, salons: list[Activity]
) -> None:
    salon, _exercise = salons
    client, form = opened(users["sc"], PARTICIPANTS)
    assert client.post(PARTICIPANTS, form | {f"a{salon.pk}-participants": "25"}).status_code == 302
    # The page as it is now: saved again, changed, by the same person.
    client, form = opened(users["sc"], PARTICIPANTS)
    assert client.post(PARTICIPANTS, form | {f"a{salon.pk}-participants": "26"}).status_code == 302
    # A script that sends no versions is checked against what its own request read.
    bare = {k: v for k, v in form.items() if not k.endswith("-version")}
    assert client.post(PARTICIPANTS, bare | {f"a{salon.pk}-participants": "27"}).status_code == 302
    assert participants(salon) == 27


def test_a_bad_version_is_refused_in_japanese(users: dict, salons: list[Activity]) -> None:
    salon, _exercise = salons
    client, form = opened(users["sc"], PARTICIPANTS)
    form |= {f"a{salon.pk}-participants": "25", f"a{salon.pk}-version": "yesterday"}
    response = client.post(PARTICIPANTS, form)
    assert response.status_code == 400 and "ページが古くなっています" in response.content.decode()
    assert participants(salon) is None


def population(code: str) -> int | None:
    found = Population.objects.filter(area=area(code), fiscal_year=2026).first()
    return found.aged_65_up if found else None


def test_the_second_to_save_the_population_is_told(users: dict) -> None:
    pk = area("takashimadaira").pk
    other_ward = make_user("ward2@example.jp", Role.WARD_STAFF, "131199")
    first, mine = opened(users["ward"], POPULATION)
    second, theirs = opened(other_ward, POPULATION)
    done = first.post(POPULATION, mine | {f"r{pk}-aged_65_up": "5,000"})
    assert done.status_code == 302 and population("takashimadaira") == 5000

    refused = second.post(POPULATION, theirs | {f"r{pk}-aged_65_up": "5100"})
    page = refused.content.decode()
    assert refused.status_code == 409, page[-3000:]
    assert TOLD in page and SAVED_NOW in page
    assert escape("高島平（65歳以上の人口）") in page and "5,000" in page
    assert population("takashimadaira") == 5000
    kept = form_of(page)
    assert kept[f"r{pk}-aged_65_up"] == "5100"
    assert second.post(POPULATION, kept).status_code == 302
    assert population("takashimadaira") == 5100


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_four_first_saves_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    """Four people, each with the page read before any figure was entered, save at the same
    moment: the region's lock lets them in one by one; the first writes, the others are told
    (without it, two could both find no row and both create one)."""
    salon = make_activity("いきいきサロン")
    region = area("takashimadaira")
    counts = itertools.count(10)

    def save() -> int | str:
        n = next(counts)
        values: dict[str, Any] = dict.fromkeys(FIGURES) | {"participants": n}
        figures: dict[int, dict[str, Any] | None] = {salon.pk: values}
        try:
            participation.save(region, 2026, dt.date(2027, 3, 1), figures, {}, None,
                               versions={salon.pk: optimistic.NEW})  # fmt: skip
        except RowsStale:
            return "told"
        return n

    results = at_once(4, save)
    won = [n for n in results if n != "told"]
    assert len(won) == 1 and results.count("told") == 3
    assert participants(salon) == won[0]
