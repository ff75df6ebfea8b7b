"""The result page: this session's grid with totals, beside the region's earlier sessions by
date (another region's sessions are not compared), with its print styles; the projector
view and its htmx fragment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from .chart_builders import make_chart

pytestmark = pytest.mark.django_db


def test_compared_with_the_regions_earlier_sessions(client: Client, users: dict[str, User]) -> None:
    make_chart(title="2024年の回", held_on=dt.date(2024, 10, 5),
               counts={("paid", "want"): 4}, closed=True)  # fmt: skip
    make_chart(title="2025年の回", held_on=dt.date(2025, 10, 4),
               counts={("paid", "want"): 9}, closed=True)  # fmt: skip
    make_chart("tokumaru", "徳丸の回", held_on=dt.date(2025, 11, 1),
               counts={("paid", "want"): 99})  # fmt: skip
    now = make_chart(title="2026年の回", held_on=dt.date(2026, 10, 3),
                     counts={("paid", "want"): 12, ("paid", "have"): 2})  # fmt: skip
    later = make_chart(title="2027年の回", held_on=dt.date(2027, 10, 2))
    client.force_login(users["member"])
    page = client.get(f"/staff/knowhow/charts/{now.pk}/").content.decode()
    compare = page[page.index("前の回とくらべる") :]
    assert "2024年<br>10月5日" in compare and "2025年<br>10月4日" in compare
    assert "11月1日" not in compare and "99" not in compare  # another region
    assert "2027年" not in compare  # a later session is not "earlier"
    row = compare[compare.index("有償ボランティア・欲しい") :].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', row)]
    assert cells == ["4", "9", "12", "+3"]
    first = client.get(f"/staff/knowhow/charts/{later.pk}/").content.decode()
    assert "2026年<br>10月3日" in first
    oldest = client.get("/staff/knowhow/charts/").content.decode()
    assert oldest.index("2027年の回") < oldest.index("2024年の回")  # newest first


def test_the_first_session_says_so(client: Client, users: dict[str, User]) -> None:
    chart = make_chart(counts={("neighbourhood", "have"): 7})
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/charts/{chart.pk}/").content.decode()
    assert "高島平では、これが最初の回です。" in page
    assert "ブラウザの「印刷」で、A4 1枚に印刷できます。" in page
    assert "knowhow/chart.css" in page


def test_the_projector_refreshes_itself(client: Client, users: dict[str, User]) -> None:
    chart = make_chart(counts={("volunteer", "join"): 8})
    client.force_login(users["member"])
    url = f"/staff/knowhow/charts/{chart.pk}/screen/"
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in page and "最新の数にする" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="screen-grid"') and "<td>8</td>" in fragment
    chart_closed = make_chart(title="締めた回", closed=True)
    closed = client.get(f"/staff/knowhow/charts/{chart_closed.pk}/screen/").content.decode()
    assert "hx-trigger" not in closed and "締め切りました" in closed
