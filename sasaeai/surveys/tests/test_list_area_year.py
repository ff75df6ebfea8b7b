"""The staff survey list narrowed by area and 年度 (published in it, or answered in it with the
answers of that year), and what it says to input it cannot use. That each figure's link lists
what it counts is test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.surveys.models import Response, Survey
from sasaeai.test import area, load_other_town

from .builders import answer_survey, make_survey

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/surveys/"


@pytest.fixture
def surveys(users: dict) -> int:
    """高島平: one published last 年度, answered then and this 年度; a draft. 蓮根: one published
    this 年度, answered once."""
    year = fiscal_year_of(timezone.localdate())
    tz = timezone.get_current_timezone()
    old = make_survey(title="昨年度の調査")
    Survey.objects.filter(pk=old.pk).update(published_at=dt.datetime(year - 1, 6, 1, tzinfo=tz))
    for moment in (dt.datetime(year - 1, 6, 2, tzinfo=tz), timezone.now()):
        response = answer_survey(old, 0, [1], 3, "")
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    make_survey(status="draft", title="下書きの調査")
    new = make_survey("hasune", title="蓮根の調査")
    Survey.objects.filter(pk=new.pk).update(published_at=timezone.now())
    answer_survey(new, 0, [1], 3, "")
    return year


def shown(client: Client, **query: Any) -> list[tuple[str, int]]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted((s.title, s.answers) for s in response.context["surveys"])


def test_without_a_year_every_survey_with_all_its_answers(
    client: Client, users: dict, surveys: int
) -> None:
    client.force_login(users["ward"])
    assert shown(client) == [("下書きの調査", 0), ("昨年度の調査", 2), ("蓮根の調査", 1)]
    assert shown(client, area=area("takashimadaira").pk) == [("下書きの調査", 0),
                                                           ("昨年度の調査", 2)]  # fmt: skip


def test_a_year_reads_surveys_opened_or_answered_in_it(
    client: Client, users: dict, surveys: int
) -> None:
    year = surveys
    client.force_login(users["ward"])
    assert shown(client, year=year) == [("蓮根の調査", 1)]  # opened this year (held, the default)
    assert shown(client, year=year - 1, in_year="held") == [("昨年度の調査", 1)]
    assert shown(client, year=year, in_year="answered") == [("昨年度の調査", 1), ("蓮根の調査", 1)]
    mine = area("blk-akatsuka").pk
    assert shown(client, area=mine, year=year, in_year="answered") == [("昨年度の調査", 1)]
    page = client.get(BASE, {"year": str(year), "in_year": "answered"}).content.decode()
    assert "年度中に届いた回答の合計 2 件" in page and "年度）に回答が届いたもの" in page


def test_the_form_offers_area_and_year_in_plain_japanese(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    page = client.get(BASE).content.decode()
    for words in ("地域", "年度", "年度で見るアンケート", "年度中に回答の受付を始めたアンケート",
                  "年度中に回答が届いたアンケート"):  # fmt: skip
        assert words in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"in_year": "soon"}, "年度で見るアンケートは一覧から選んでください。"),
        ({"area": "abc"}, "地域は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese_and_narrows_nothing(
    client: Client, users: dict, surveys: int, query: dict, message: str
) -> None:
    client.force_login(users["sc"])
    response = client.get(BASE, {"year": str(surveys), **query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown(client, **{"year": str(surveys), **query}) == [("下書きの調査", 0),
                                                                 ("昨年度の調査", 2)]  # fmt: skip


def test_an_area_of_another_place_is_refused_in_words(
    client: Client, users: dict, surveys: int
) -> None:
    foreign = load_other_town()
    client.force_login(users["sc"])
    for code in ("hasune", foreign.code):
        page = client.get(BASE, {"area": area(code).pk}).content.decode()
        assert "地域は一覧から選んでください。" in page and "蓮根の調査" not in page


def test_outsiders_see_none_and_visitors_are_sent_to_sign_in(
    client: Client, users: dict, surveys: int
) -> None:
    assert client.get(BASE).status_code == 302
    client.force_login(users["other_admin"])
    assert shown(client, year=str(surveys), in_year="answered") == []
