"""The registry of indicators, the roll-up up the area tree, the year's bounds, and the cost of
a ward's page: the same few queries for 23 areas × 5 years as for one region's single year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.indicators import (
    WHOLE,
    Found,
    Indicator,
    Registry,
    Scope,
    figures,
    present_only,
    registered,
    tally,
    top_paths,
)

WARD = "131199"
BLOCK = "131199/blk-akatsuka"
REGION = "131199/blk-akatsuka/takashimadaira"
OTHER_REGION = "131199/blk-akatsuka/narimasu"
OTHER_BLOCK_REGION = "131199/blk-shimura/hasune"
TODAY = dt.date(2026, 12, 6)
# The count functions of every app together (19 queries today: directory 3, councils 5, needs 3,
# surveys 1, referrals 1, events 3, support 1, budgets 2), whatever the areas and years asked.
MAX_QUERIES = 24


@dataclass(frozen=True)
class Spot:
    pk: int
    path: str


WARD_AREA, BLOCK_AREA, REGION_AREA = Spot(1, WARD), Spot(2, BLOCK), Spot(3, REGION)
OTHER_AREA = Spot(4, OTHER_REGION)


def counted(scope: Scope) -> Found:
    """Records at every level: the ward itself, a block, its regions, a unit, another block."""
    found = Found()
    for path, n in [(WARD, 1), (BLOCK, 10), (REGION, 100), (f"{REGION}/unit-1", 1000),
                    (OTHER_REGION, 10_000), (OTHER_BLOCK_REGION, 100_000)]:  # fmt: skip
        for year in scope.years:
            found.add("test.things", path, year, n * (year - 2023))
    found.add("test.things", REGION, 2026, 2, part="7")
    found.name("test.things", "7", "サロン")
    return found


def link(area: Any, year: int, part: str) -> str:
    return f"/things/?area={area.pk}&year={year}&kind={part}"


THINGS = Indicator("test.things", "テスト", "もの", counted, link=link)


def registry(*indicators: Indicator) -> Registry:
    made = Registry()
    made.register(*indicators)
    return made


def test_a_block_counts_its_regions_and_its_own_records_the_ward_everything() -> None:
    asked = [WARD_AREA, BLOCK_AREA, REGION_AREA, OTHER_AREA]
    found = registry(THINGS).figures(asked, [2024, 2025], today=TODAY)
    assert found.value("test.things", REGION_AREA, 2025) == 2 * 1100  # with its unit
    assert found.value("test.things", OTHER_AREA, 2025) == 2 * 10_000
    assert found.value("test.things", BLOCK_AREA, 2025) == 2 * 11_110
    assert found.value("test.things", WARD_AREA, 2025) == 2 * 111_111
    assert found.value("test.things", WARD_AREA, 2024) == 111_111


def test_one_region_asked_alone_counts_the_same() -> None:
    found = registry(THINGS).figures([REGION_AREA], [2025], today=TODAY)
    assert found.value("test.things", REGION_AREA, 2025) == 2 * 1100


def test_parts_are_counted_and_rolled_up_apart_from_the_whole() -> None:
    found = registry(THINGS).figures([WARD_AREA, REGION_AREA], [2026], today=TODAY)
    assert found.parts("test.things") == [("7", "サロン")]
    assert found.value("test.things", REGION_AREA, 2026, "7") == 2
    assert found.value("test.things", WARD_AREA, 2026, "7") == 2
    assert found.value("test.things", OTHER_AREA, 2026, "7") == 0
    assert found.value("test.things", REGION_AREA, 2026) == 3 * 1100  # the part is not added


def test_rows_give_each_indicator_then_its_parts_with_values_and_links() -> None:
    found = registry(THINGS).figures([REGION_AREA], [2025, 2026, 2027], today=TODAY)
    whole, salon = found.rows(REGION_AREA)
    assert (whole.label, salon.label, whole.is_part, salon.is_part) == (
        "もの",
        "サロン",
        False,
        True,
    )
    assert [cell.value for cell in whole.cells] == [2200, 3300, None]  # 2027 has not begun
    assert [cell.value for cell in salon.cells] == [0, 2, None]
    assert salon.cells[1].link == "/things/?area=3&year=2026&kind=7"
    assert whole.cells[0].link == "/things/?area=3&year=2025&kind="
    assert whole.cells[2].link is None


def test_an_indicator_of_the_present_state_tells_the_current_year_only() -> None:
    now = Indicator("test.now", "テスト", "いま", counted, moment=True, known=present_only)
    found = registry(THINGS, now).figures([REGION_AREA], [2025, 2026], today=TODAY)
    assert found.value("test.now", REGION_AREA, 2025) is None
    assert found.value("test.now", REGION_AREA, 2026) == 0


def test_count_functions_shared_by_indicators_are_called_once() -> None:
    calls = []

    def shared(scope: Scope) -> Found:
        calls.append(scope)
        return Found()

    first = Indicator("test.first", "テスト", "一", shared)
    second = Indicator("test.second", "テスト", "二", shared)
    registry(first, second).figures([WARD_AREA, REGION_AREA], [2025], today=TODAY)
    assert len(calls) == 1
    assert calls[0].paths == (WARD,)  # the region lies under the ward: asked once
    assert calls[0].years == (2025,)


def test_the_registry_keeps_order_and_refuses_a_key_twice() -> None:
    other = Indicator("test.other", "テスト", "ほか", counted)
    made = registry(THINGS, other)
    made.register(THINGS)  # the same one again (ready() twice) changes nothing
    assert [i.key for i in made.registered()] == ["test.things", "test.other"]
    with pytest.raises(ValueError, match=r"test\.things"):
        made.register(Indicator("test.things", "テスト", "別のもの", counted))
    with pytest.raises(KeyError, match=r"test\.nothing"):
        made.figures([WARD_AREA], [2025], keys=["test.nothing"])


def test_top_paths_drop_those_under_another() -> None:
    assert top_paths([REGION, BLOCK, OTHER_BLOCK_REGION, BLOCK]) == (BLOCK, OTHER_BLOCK_REGION)


def test_a_year_ends_on_31_march_or_today() -> None:
    scope = Scope((WARD,), (2025, 2026), TODAY)
    assert scope.end(2025) == dt.date(2026, 3, 31)
    assert scope.end(2026) == TODAY
    assert scope.includes(dt.date(2026, 3, 31), 2025)
    assert not scope.includes(dt.date(2026, 4, 1), 2025)
    assert scope.includes(dt.date(2026, 4, 1), 2026)
    assert not scope.includes(TODAY + dt.timedelta(days=1), 2026)
    assert present_only(scope, 2026) and not present_only(scope, 2025)


def test_every_app_registers_its_own_indicators_in_the_order_of_the_apps() -> None:
    keys = [indicator.key for indicator in registered()]
    assert len(keys) == len(set(keys))
    labels = [key.split(".")[0] for key in keys]
    order = [config.label for config in apps.get_app_configs()]
    assert labels == sorted(labels, key=order.index)
    assert {"councils", "directory", "needs", "referrals", "events", "support", "budgets"} <= set(
        labels
    )
    assert {"directory.kayoi", "needs.raised", "events.attendance"} <= set(keys)


@pytest.mark.django_db
def test_tally_counts_moments_in_local_time_31_march_against_1_april(users: dict) -> None:
    from sasaeai.needs.models import Helper
    from sasaeai.needs.tests.builders import make_helper

    tokyo = timezone.get_current_timezone()
    march = make_helper()
    april = make_helper()
    Helper.objects.filter(pk=march.pk).update(
        created_at=dt.datetime(2026, 3, 31, 23, 59, tzinfo=tokyo)
    )
    Helper.objects.filter(pk=april.pk).update(created_at=dt.datetime(2026, 4, 1, tzinfo=tokyo))
    scope = Scope((WARD,), (2025, 2026), TODAY)
    found = tally(
        Helper.objects.all(),
        scope,
        {
            "new": lambda year: scope.during("created_at", year, timed=True),
            "known": lambda year: scope.until("created_at", year, timed=True),
        },
    )
    assert dict(found.counts["new"]) == {(REGION, 2025, WHOLE): 1, (REGION, 2026, WHOLE): 1}
    assert dict(found.counts["known"]) == {(REGION, 2025, WHOLE): 1, (REGION, 2026, WHOLE): 2}


def build_everything(users: dict) -> None:
    """A record or two of each app, in 高島平 and 成増, today."""
    from sasaeai.budgets.models import ExpenseStatus
    from sasaeai.budgets.tests.builders import make_budget, make_expense
    from sasaeai.councils.services import record_attendance
    from sasaeai.councils.tests.builders import make_council, make_meeting, make_member
    from sasaeai.directory.tests.builders import make_activity
    from sasaeai.events.models import Registration, RegistrationStatus
    from sasaeai.events.tests.builders import at, make_event
    from sasaeai.needs.tests.builders import make_need
    from sasaeai.referrals.models import Status
    from sasaeai.referrals.tests.builders import make_institution, make_referral
    from sasaeai.support.tests.builders import make_request
    from sasaeai.surveys.tests.builders import answer_survey, make_survey

    today = timezone.localdate()
    make_activity("いきいきサロン")
    make_activity("成増の体操", "narimasu")
    make_need(reported_on=today)
    make_need("narimasu", reported_on=today)
    council = make_council()
    meeting = make_meeting(council, date=today)
    record_attendance(meeting, [make_member(council)], {"resident": 2})
    make_referral(make_institution(), by=users["sc"], status=Status.SENT)
    event = make_event(starts_at=at(today.year, today.month, today.day, 0))
    Registration.objects.create(
        event=event, user=users["sc"], status=RegistrationStatus.REGISTERED, attended=True
    )
    make_request(council)
    budget = make_budget(council, year=fiscal_year_of(today))
    make_expense(budget, status=ExpenseStatus.APPROVED, day=today)
    answer_survey(make_survey(), 0, [1], 3, "")


@pytest.mark.django_db
def test_a_ward_page_of_18_regions_and_5_years_costs_what_one_region_costs(users: dict) -> None:
    from sasaeai.areas.models import Area
    from sasaeai.test import area

    build_everything(users)
    ward = area(WARD)
    every = list(Area.objects.within(ward).exclude(kind="unit"))
    assert len(every) == 23
    one = area("takashimadaira")
    year = fiscal_year_of(timezone.localdate())
    with CaptureQueriesContext(connection) as small:
        alone = figures([one], [year])
    with CaptureQueriesContext(connection) as large:
        whole = figures(every, range(year - 4, year + 1))
    assert len(large.captured_queries) == len(small.captured_queries) <= MAX_QUERIES, [
        q["sql"][:120] for q in large.captured_queries
    ]
    for indicator in registered():
        assert whole.value(indicator.key, one, year) == alone.value(indicator.key, one, year)
    assert whole.value("directory.known", ward, year) == 2
    assert whole.value("needs.raised", ward, year) == 2
    assert whole.value("councils.meetings", area("blk-akatsuka"), year) == 1
    assert whole.value("budgets.spent", ward, year) == 1_000
    assert whole.value("events.attendance", ward, year) == 1
