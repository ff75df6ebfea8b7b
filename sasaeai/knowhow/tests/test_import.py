"""The ward imports existing cases from a workbook: all good rows land as drafts; with some bad
rows each is reported and either the good ones are kept or nothing; a file with nothing good
keeps nothing; a region SC may not import."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.lib.import_files import write

from ..case_import import ALL_COLUMNS
from ..models import Case, CaseStatus

pytestmark = pytest.mark.django_db
URL = "/staff/knowhow/import/"


def row(title: str = "男性が集まる朝の体操", area: str = "高島平", **cells: str) -> list[str]:
    values = {"題名": title, "地域": area, "いつの取組か": "2025-10-01", "段階": "3",
              "★の問い": "もっと参加者（仲間）を増やすにはどうする？、keep_going",
              "取組": "公園で声をかけました。", "結果": "12人から25人に増えました。",
              "テーマ": "担い手、居場所", "取組み": "仲間探し"} | cells  # fmt: skip
    return [values.get(c, "") for c in ALL_COLUMNS]


def upload(client: Client, rows: list[list[str]]) -> Any:
    content = write(rows, "xlsx", columns=ALL_COLUMNS, sheet="事例")
    return client.post(URL, {"file": SimpleUploadedFile("事例.xlsx", content)})


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, "the page offers to commit"
    return found.group(1)


@pytest.fixture
def ward(users: dict[str, User], settings: Any, tmp_path: Any) -> Client:
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(users["ward"])
    return client


def test_all_good_rows_land_as_drafts(ward: Client, users: dict[str, User]) -> None:
    page = upload(ward, [row(), row("団地の見守り", "itabashi", 段階="1")]).content.decode()
    assert "問題のある行" not in page and not Case.objects.exists()  # the dry run keeps nothing
    done = ward.post("/staff/knowhow/import/commit/", {"token": token_of(page), "mode": "all"})
    assert "2 件の事例を下書きとして登録しました。" in done.content.decode()
    first = Case.objects.get(title="男性が集まる朝の体操")
    assert first.status == CaseStatus.DRAFT and first.area.code == "takashimadaira"
    assert sorted(q.question for q in first.questions.all()) == ["keep_going", "more_members"]
    assert {t.name for t in first.themes.all()} == {"担い手", "居場所"}
    assert [i.initiative for i in first.initiatives.all()] == ["nakama"]
    assert Case.objects.get(title="団地の見守り").area.code == "itabashi"


def test_some_bad_rows_are_reported_and_either_the_good_ones_or_nothing_is_kept(
    ward: Client,
) -> None:
    rows = [row(), row("", 地域="どこか"), row("<b>太字</b>"), row("日付なし", いつの取組か="先月")]
    page = upload(ward, rows).content.decode()
    assert "問題のある行が 3 行あります。" in page
    assert "3 行目" in page and "題名がありません。" in page and "どこか" in page
    assert "HTML のタグは書けません。" in page and "2026-06-01 のように" in page
    token = token_of(page)
    refused = ward.post("/staff/knowhow/import/commit/", {"token": token, "mode": "all"})
    assert refused.status_code == 409 and not Case.objects.exists()
    kept = ward.post("/staff/knowhow/import/commit/", {"token": token, "mode": "good"})
    assert "1 件の事例を下書きとして登録しました。" in kept.content.decode()
    assert list(Case.objects.values_list("title", flat=True)) == ["男性が集まる朝の体操"]


def test_nothing_good_keeps_nothing_and_a_region_sc_may_not_import(
    ward: Client, users: dict[str, User]
) -> None:
    page = upload(ward, [row(段階="9")]).content.decode()
    assert "問題のある行が 1 行あります。" in page and 'name="token"' not in page
    broken = ward.post(URL, {"file": SimpleUploadedFile("事例.xlsx", b"MZ not a workbook")})
    assert broken.status_code == 400 and not Case.objects.exists()
    sc = Client()
    sc.force_login(users["sc"])
    assert sc.get(URL).status_code == 403
