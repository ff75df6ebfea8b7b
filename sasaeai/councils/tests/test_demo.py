import datetime as dt
import time
from typing import Any

import pytest
from django.db import transaction

from sasaeai.councils.demo import build_councils, monthly_days
from sasaeai.councils.models import ActionItem, Council, Meeting, Minutes, MinutesStatus
from sasaeai.councils.public import council_profile

pytestmark = pytest.mark.django_db
SEED = 20261126
TODAY = dt.date(2026, 11, 26)


def test_every_area_gets_a_council_with_12_to_60_past_meetings(itabashi: Any) -> None:
    started = time.monotonic()
    assert build_councils(itabashi, SEED, TODAY) == 23  # ward + 4 blocks + 18 regions
    assert time.monotonic() - started < 30
    assert build_councils(itabashi, SEED, TODAY) == 0  # already there: nothing added
    for council in Council.objects.of(itabashi):
        past = council.meetings.filter(date__lte=TODAY)
        assert 12 <= past.count() <= 60, council.name
        assert council.members.exists() and council.scs.exists() and council.vision
        numbers = list(council.meetings.order_by("date").values_list("number", flat=True))
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert Council.objects.get(area__code="blk-akatsuka").name == "赤塚ブロック連絡会"
    assert Council.objects.get(area=itabashi).name == "第1層支え合い会議"


def test_numbers_count_from_the_real_start(itabashi: Any) -> None:
    build_councils(itabashi, SEED, TODAY)
    takashimadaira = Council.objects.get(area__code="takashimadaira")
    assert takashimadaira.started_on == dt.date(2016, 10, 1)
    assert takashimadaira.vision == "独りじゃないよ 繋がりあって安心 高島平"
    last = takashimadaira.meetings.filter(date__lte=TODAY).order_by("-number").first()
    assert last is not None
    held = monthly_days(dt.date(2016, 10, 1), TODAY, 1, 1, last.date.weekday())
    assert last.number == len(held) > 100  # monthly since October 2016: 第120回 or so
    funado = Council.objects.get(area__code="funado")
    assert funado.started_on == dt.date(2018, 5, 1)


def test_minutes_actions_and_summaries_look_lived_in(itabashi: Any, client: Any) -> None:
    build_councils(itabashi, SEED, TODAY)
    held = Meeting.objects.filter(council__municipality=itabashi, date__lte=TODAY)
    assert Minutes.objects.filter(meeting__in=held).count() == held.count()
    assert Minutes.objects.filter(status=MinutesStatus.DRAFT).count() == 23  # the latest each
    assert ActionItem.objects.open().exists() and ActionItem.objects.overdue(TODAY).exists()
    assert ActionItem.objects.exclude(closed_on=None).exists()
    profile = council_profile(Council.objects.get(area__code="takashimadaira").area)
    assert profile is not None and profile["summaries"]


class Rollback(Exception):
    pass


def snapshot(itabashi: Any) -> tuple[list[Any], list[str]]:
    build_councils(itabashi, SEED, TODAY)
    meetings = Meeting.objects.order_by("council__area__path", "number")
    return (
        list(meetings.values_list("number", "date", "summary_published")),
        list(Council.objects.order_by("area__path").values_list("vision", flat=True)),
    )


def test_same_seed_same_councils(itabashi: Any) -> None:
    try:
        with transaction.atomic():
            first = snapshot(itabashi)
            raise Rollback
    except Rollback:
        pass
    assert not Council.objects.exists()
    assert snapshot(itabashi) == first


def test_pages_over_demo_data_use_few_queries(
    itabashi: Any, client: Any, users: dict, django_assert_max_num_queries: Any
) -> None:
    build_councils(itabashi, SEED, TODAY)
    client.force_login(users["ward"])
    with django_assert_max_num_queries(15):
        listing = client.get("/staff/councils/")
    assert listing.content.decode().count('<th scope="row">') == 23
    council = Council.objects.get(area__code="takashimadaira")
    meeting = council.meetings.filter(date__lte=TODAY).order_by("-number")[1]
    with django_assert_max_num_queries(30):
        page = client.get(f"/staff/councils/meetings/{meeting.pk}/")
    assert page.status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/areas/takashimadaira/").status_code == 200
