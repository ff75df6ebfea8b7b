"""The surveys' indicators against surveys and answers made by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
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


def survey(code: str, published: dt.datetime | None, *answered: dt.datetime) -> None:
    made = make_survey(code, status="published" if published else "draft")
    Survey.objects.filter(pk=made.pk).update(published_at=published)
    for moment in answered:
        response = answer_survey(made, 0, [1], 3, "")
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)


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
