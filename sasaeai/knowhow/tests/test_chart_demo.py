"""The demo's forum charts: a few regions over two years, closed and compared, one open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import area

from ..chart_demo import build_charts
from ..models import ForumChart

pytestmark = pytest.mark.django_db


def test_the_demo_charts_load_once(client: Client, users: dict[str, User]) -> None:
    itabashi = area("131199")
    today = dt.date(2026, 12, 7)
    made = build_charts(itabashi, today)
    assert made == 9 and build_charts(itabashi, today) == 0
    charts = ForumChart.objects.of(itabashi)
    assert charts.values("area").distinct().count() == 4
    assert {c.held_on.year for c in charts} >= {2025, 2026}
    assert charts.open().count() == 1
    latest = charts.filter(area__code="takashimadaira", closed_at__isnull=False).first()
    assert latest is not None
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/charts/{latest.pk}/").content.decode()
    assert "との差" in page and "2025年<br>" in page
    listing = client.get("/staff/knowhow/charts/").content.decode()
    assert "高島平 支え合いフォーラム" in listing and "徳丸 地域の集い" not in listing
