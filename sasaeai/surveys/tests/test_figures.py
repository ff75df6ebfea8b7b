"""The surveys' indicators against surveys and answers made by hand."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.lib.indicators import figures
from sasaeai.surveys.models import Response, Survey
from sasaeai.test import area

from .builders import answer_survey, make_survey

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["surveys.held", "surveys.answers"]


def tokyo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def survey(code: str, published: dt.datetime | None, *answered: dt.datetime) -> Survey:
    made = make_survey(code, status="published" if published else "draft", title=f"{code}の調査")
    Survey.objects.filter(pk=made.pk).update(published_at=published)
    for moment in answered:
        response = answer_survey(made, 0, [1], 3, "")
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    return made


@pytest.fixture
def data(itabashi: Any) -> None:
    """高島平: a survey opened at 23:00 on 31 March 2026, answered twice that evening and once
    just after midnight; a draft. 成増: a survey opened in May 2026, answered once."""
    survey("takashimadaira", tokyo(2026, 3, 31, 23), tokyo(2026, 3, 31, 23, 10),
           tokyo(2026, 3, 31, 23, 59), tokyo(2026, 4, 1, 0, 1))  # fmt: skip
    survey("takashimadaira", None)
    survey("narimasu", tokyo(2026, 5, 1, 10), tokyo(2026, 5, 2, 10))


def table(code: str) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in KEYS}


def test_surveys_count_in_the_year_they_opened_answers_in_the_year_they_came(data: None) -> None:
    assert table("takashimadaira") == {"surveys.held": [1, 0], "surveys.answers": [2, 1]}
    assert table("blk-akatsuka") == {"surveys.held": [1, 1], "surveys.answers": [2, 2]}


def surveys_listed(client: Client, link: str) -> list[tuple[str, int]]:
    """The surveys a list shows with their answers (of the year asked), checked against the
    count and the total it states."""
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    total = int(re.search(r"<p>(\d+) 件</p>", page)[1])  # type: ignore[index]
    answers = int(re.search(r"回答の合計 (\d+) 件</p>", page)[1])  # type: ignore[index]
    listed = [(s.title, s.answers) for s in response.context["surveys"]]
    assert len(listed) == total and sum(n for _title, n in listed) == answers
    return listed


def test_each_figure_links_to_the_list_of_exactly_what_it_counts(
    data: None, client: Client, users: dict
) -> None:
    """Surveys held: the rows; answers: the answers beside them, added up. For a region, its
    block and the ward: 蓮根's survey (志村ブロック) is on the ward's lists alone."""
    survey("hasune", tokyo(2025, 9, 1, 10), tokyo(2025, 9, 2), tokyo(2026, 4, 2))
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=KEYS)
    seen = 0
    for place, key, year in product(places, KEYS, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        value = found.value(key, place, year)
        listed = surveys_listed(client, link)
        counted = len(listed) if key == "surveys.held" else sum(n for _title, n in listed)
        assert counted == value, (place.code, key, year)
        assert place.code == "131199" or all(t != "hasuneの調査" for t, _n in listed)
        seen += value or 0
    assert seen == 19


def test_the_list_reads_the_year_as_the_figures_do(data: None, client: Client, users: dict) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=KEYS)
    assert found.link("surveys.answers", region, 2026) == (
        f"/staff/needs/surveys/?area={region.pk}&year=2026&in_year=answered"
    )
    client.force_login(users["sc"])
    listed = {(key, year): surveys_listed(client, found.link(key, region, year) or "")
              for key, year in product(KEYS, YEARS)}  # fmt: skip
    assert listed == {
        ("surveys.held", 2025): [("takashimadairaの調査", 2)],  # opened at 23:00 on 31 March
        ("surveys.held", 2026): [],  # not the draft
        ("surveys.answers", 2025): [("takashimadairaの調査", 2)],  # 23:10 and 23:59
        ("surveys.answers", 2026): [("takashimadairaの調査", 1)],  # 00:01 on 1 April
    }
