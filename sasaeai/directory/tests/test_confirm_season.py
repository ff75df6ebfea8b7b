"""The season (issue 30): the ward opens it; a region's SC makes the batch in the background
(postcards, and mails to organisers with an address); the season's page counts sent,
confirmed, corrected and no answer per region; reminders go to those without an answer."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from sasaeai.areas.models import Area
from sasaeai.directory import confirm
from sasaeai.directory.models import Answer, ConfirmationSeason
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import run_tasks

from .confirm_builders import batch_of, make_request, make_season

pytestmark = pytest.mark.django_db


def test_the_ward_opens_a_season_and_a_region_sc_may_not(client: Client, users: dict) -> None:
    data = {"name": "2026年度 活動確認", "starts_on": "2026-06-01", "ends_on": "2026-07-31"}
    client.force_login(users["sc"])
    assert "新しい期間を始める" not in client.get("/staff/confirm/").content.decode()
    assert client.post("/staff/confirm/", data).status_code == 403
    client.force_login(users["ward"])
    bad = client.post("/staff/confirm/", {**data, "ends_on": "2026-05-01"})
    assert "締め切り日は、始まる日より後にしてください" in bad.content.decode()
    assert not ConfirmationSeason.objects.exists()
    response = client.post("/staff/confirm/", data)
    season = ConfirmationSeason.objects.get()
    assert response["Location"] == f"/staff/confirm/{season.pk}/"
    assert season.batches.filter(area__code="takashimadaira").exists()
    client.force_login(users["sc"])
    page = client.get(f"/staff/confirm/{season.pk}/").content.decode()
    assert ">高島平</a>" in page and ">板橋</a>" not in page  # the SC's region only


def test_the_batch_is_made_in_the_background_and_mails_those_with_an_address(
    client: Client, users: dict, django_capture_on_commit_callbacks: object
) -> None:
    make_activity("高島平ひだまりサロン")
    make_activity("高島平ウォーキング", contact_email="walk@example.jp", contact_name="歩 太郎")
    make_activity("高島平の下書き", status="draft")
    batch = batch_of(make_season())
    client.force_login(users["sc"])
    url = f"/staff/confirm/batches/{batch.pk}/"
    assert "公開中の活動 2 件" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(f"{url}make/", {"paper": "postcard", "by_mail": "on"})
        client.post(f"{url}make/", {"paper": "postcard", "by_mail": "on"})  # nothing more
    assert DBTaskResult.objects.count() == 1
    page = client.get(url).content.decode()
    assert "<progress" in page and "順番を待っています" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "job-progress" in fragment and "<html" not in fragment

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert run_tasks() == 1
    batch.refresh_from_db()
    assert batch.job_status == "done" and batch.pdf
    sheets = client.get(f"{url}sheets.pdf")
    assert sheets["Content-Type"] == "application/pdf"
    assert b"".join(sheets.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert {r.activity.name: r.sent_how for r in batch.requests.all()} == {
        "高島平ひだまりサロン": "post", "高島平ウォーキング": "mail",
    }  # fmt: skip
    [sent] = mail.outbox
    assert sent.to == ["walk@example.jp"] and "高島平ウォーキング" in sent.body
    assert "歩 太郎" not in sent.body
    link = re.search(r"https?://\S+/confirm/(\w+)/", str(sent.body))
    assert link is not None
    assert "高島平ウォーキング" in Client().get(f"/confirm/{link.group(1)}/").content.decode()
    # Made once: a second making would replace the codes already sent.
    client.post(f"{url}make/", {"paper": "postcard"})
    assert DBTaskResult.objects.count() == 0


def test_the_season_counts_each_region_and_reminds_those_without_an_answer(
    client: Client, users: dict, django_capture_on_commit_callbacks: object
) -> None:
    season = make_season()
    names = ["高島平サロンA", "高島平サロンB", "高島平サロンC", "高島平サロンD"]
    issued = [make_request(make_activity(name), season) for name in names]
    make_request(make_activity("板橋の体操", "itabashi"), season)
    confirm.confirm_unchanged(issued[0][0])
    confirm.correct(issued[1][0], [["参加費", "100円", "200円"]], "", "")
    client.force_login(users["ward"])
    page = client.get(f"/staff/confirm/{season.pk}/").content.decode()
    row = re.search(r"高島平</a></th>(.*?)</tr>", page, re.S)
    assert row is not None
    assert [int(n) for n in re.findall(r">(\d+)<", row.group(1))] == [4, 1, 1, 2]
    assert "合計" in page

    client.force_login(users["sc"])
    batch = issued[0][0].batch
    old_codes = [code for _request, code in issued[2:]]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"/staff/confirm/batches/{batch.pk}/reminders/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    anonymous = Client()
    for code in old_codes:  # the reminder's new codes replace the first sheets'
        assert anonymous.get(f"/confirm/{code}/").status_code == 404
    answered = anonymous.get(f"/confirm/{issued[0][1]}/")
    assert answered.status_code == 200  # the answered keep theirs
    assert batch.requests.filter(reminded_at__isnull=False).count() == 2
    assert batch.requests.filter(answer=Answer.NONE).count() == 2


def test_the_demo_opens_a_season_with_answers_in_takashimadaira(itabashi: Area) -> None:
    from sasaeai.directory.confirm_demo import build_confirmations

    for n in range(12):
        make_activity(f"高島平のサロン{n}")
    assert build_confirmations(itabashi, 7) == 12
    assert build_confirmations(itabashi, 7) == 0  # once
    [row] = [r for r in confirm.progress(ConfirmationSeason.objects.get().batches.all()) if r.sent]
    assert row.batch.area.code == "takashimadaira"
    assert row.confirmed and row.waiting and row.sent == 12
