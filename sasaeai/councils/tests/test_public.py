"""The public region page: council profile, member counts by sector, chosen summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sasaeai.councils.models import CouncilSC, Decision, Minutes, MinutesStatus, Sector

from .builders import make_council, make_item, make_meeting, make_member

pytestmark = pytest.mark.django_db


def test_region_page_shows_profile_counts_and_only_consented_names(
    client: Client, itabashi: object
) -> None:
    council = make_council(
        started_on=dt.date(2016, 10, 1), vision="独りじゃないよ 繋がりあって安心 高島平",
        frequency="毎月第3木曜", venue="高島平地域センター",
    )  # fmt: skip
    CouncilSC.objects.create(council=council, count=2, body="社会福祉協議会")
    make_member(council, "公開OKの会長", role="chair", consent_to_publish_name=True)
    make_member(council, "非公開の委員", sector=Sector.NEIGHBOURHOOD)
    make_member(council, "包括の職員", sector=Sector.HOUKATSU)
    make_member(council, "退任した人", left_on=dt.date(2020, 1, 1), consent_to_publish_name=True)
    text = client.get("/areas/takashimadaira/").content.decode()
    assert "支え合い会議高島平" in text and "独りじゃないよ 繋がりあって安心 高島平" in text
    assert "2016年10月" in text and "社会福祉協議会 2人" in text
    assert "メンバー 3人" in text and '<th scope="row">町会・自治会</th><td>2人</td>' in text
    assert "公開OKの会長" in text
    assert "非公開の委員" not in text and "包括の職員" not in text and "退任した人" not in text


def test_only_published_summaries_of_approved_minutes_are_shown(
    client: Client, itabashi: object
) -> None:
    council = make_council()
    shown = make_meeting(council, date=dt.date(2026, 4, 16), summary_published=True)
    topic = make_item(shown, "サロンの紹介", initiatives="tsunageru", public=True)
    make_item(shown, "個別の相談（非公開）")
    minutes = Minutes.objects.create(meeting=shown, status=MinutesStatus.APPROVED)
    Decision.objects.create(minutes=minutes, agenda_item=topic, text="冊子を作る", public=True)
    Decision.objects.create(minutes=minutes, text="内部の決定", public=False)
    draft = make_meeting(council, date=dt.date(2026, 5, 21), summary_published=True)
    make_item(draft, "承認前の議題", public=True)
    Minutes.objects.create(meeting=draft)
    text = client.get("/areas/takashimadaira/").content.decode()
    assert "第1回 2026年4月16日" in text and "サロンの紹介" in text and "つなげる" in text
    assert "冊子を作る" in text
    assert "個別の相談" not in text and "内部の決定" not in text and "承認前の議題" not in text


def test_other_municipality_host_does_not_show_itabashi_council(
    client: Client, itabashi: object
) -> None:
    make_council()
    response = client.get("/areas/takashimadaira/", HTTP_HOST="midori.example.jp")
    assert response.status_code == 404
