"""Closing a forum chart asks first: 締め切る on the tally and result pages opens a question
(a stray tap on a tablet closes nothing), whose own button closes it; closing a closed chart
says so and changes nothing; those who may not tally are refused the question too."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from ..models import ForumChart
from .chart_builders import make_chart

pytestmark = pytest.mark.django_db

QUESTION = "このチャートを締め切りますか？"
CLOSED = "締め切りました。結果は地域の記録として残ります。"


def _closed(chart: ForumChart) -> bool:
    return ForumChart.objects.get(pk=chart.pk).is_closed


def test_the_first_tap_asks_and_closes_nothing(client: Client, users: dict[str, User]) -> None:
    chart = make_chart(counts={("gathering", "want"): 5, ("paid", "have"): 2})
    client.force_login(users["sc"])
    tally = client.get(f"/staff/knowhow/charts/{chart.pk}/tally/").content.decode()
    question_url = f"/staff/knowhow/charts/{chart.pk}/close/?from=tally"
    assert f'href="{question_url}"' in tally  # a link to the question, not a closing form
    assert f'action="/staff/knowhow/charts/{chart.pk}/close/' not in tally
    response = client.get(question_url)
    page = response.content.decode()
    assert response.status_code == 200 and QUESTION in page
    assert "数はもう変えられません" in page and "合計 5 人" in page and "合計 2 人" in page
    assert "締め切る</button>" in page
    assert f'href="/staff/knowhow/charts/{chart.pk}/tally/"' in page  # back to counting
    assert not _closed(chart)
    # From the result page, the question leads back to the result.
    page = client.get(f"/staff/knowhow/charts/{chart.pk}/").content.decode()
    assert f'href="/staff/knowhow/charts/{chart.pk}/close/"' in page
    page = client.get(f"/staff/knowhow/charts/{chart.pk}/close/").content.decode()
    assert "締め切らずに戻る" in page and not _closed(chart)


def test_the_confirmed_post_closes_and_a_second_says_so(
    client: Client, users: dict[str, User]
) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    url = f"/staff/knowhow/charts/{chart.pk}/close/"
    page = client.post(url, follow=True).content.decode()
    assert CLOSED in page and _closed(chart)
    closed_at = ForumChart.objects.get(pk=chart.pk).closed_at
    again = client.post(url, follow=True).content.decode()
    assert "このチャートはもう締め切っています。" in again and CLOSED not in again
    assert ForumChart.objects.get(pk=chart.pk).closed_at == closed_at
    # The question of a closed chart is not asked again: the result says it is closed.
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert QUESTION not in page and "このチャートはもう締め切っています。" in page


def test_only_those_who_tally_are_asked(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    url = f"/staff/knowhow/charts/{chart.pk}/close/"
    client.force_login(users["member"])
    assert client.get(url).status_code == 403
    client.force_login(users["other_sc"])
    assert client.get(url).status_code == 404
    client.force_login(users["block"])
    assert QUESTION in client.get(url).content.decode()
    assert not _closed(chart)
