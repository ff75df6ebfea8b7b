"""Institutions in and out of spreadsheets: an export re-imports unchanged, a bad row is
reported with its number and a Japanese reason, and the commit takes every good row or none."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.referrals import transfer
from sasaeai.referrals.models import Institution
from sasaeai.test import area

from .builders import make_institution

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/manage/transfer/"
HEADER = ",".join(transfer.COLUMNS)


@pytest.fixture
def directory(users: dict) -> list[Institution]:
    return [
        make_institution(address="板橋区高島平1-1-1", latitude=35.7891234567, longitude=139.6612,
                         phone="03-5000-0001", hours="月〜金 8:30〜17:15",
                         helps_with="介護の相談\n健康の相談", kana="おとしより"),
        make_institution("板橋区社会福祉協議会 権利擁護センター", covers=("131199",),
                         kind="other", is_public=False, helps_with="=SUM(1)"),
        make_institution("赤塚地域リハビリ支援センター", covers=("blk-akatsuka", "narimasu"),
                         kind="rehabilitation"),
    ]  # fmt: skip


def upload(client: Client, content: bytes, name: str = "institutions.csv") -> Any:
    return client.post(BASE, {"file": SimpleUploadedFile(name, content)})


def snapshot() -> list[tuple[Any, ...]]:
    return [
        (i.pk, i.kind_id, i.name, i.kana, i.address, i.latitude, i.longitude, i.phone, i.hours,
         i.helps_with, i.is_public, tuple(sorted(a.pk for a in i.areas.all())))
        for i in Institution.objects.order_by("pk").prefetch_related("areas")
    ]  # fmt: skip


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "i.xlsx"), ("csv", "i.csv"),
                                           ("cp932", "i.csv")])  # fmt: skip
def test_export_reimports_unchanged(
    client: Client, users: dict, directory: list, fmt: str, name: str
) -> None:
    client.force_login(users["ward"])
    before = snapshot()
    exported = client.get(BASE + "export/", {"format": fmt})
    assert exported.status_code == 200
    response = upload(client, exported.content, name)
    report = response.context["report"]
    assert (len(report.good), report.unchanged, report.created, len(report.bad)) == (3, 3, 0, 0)
    token = response.context["token"]
    committed = client.post(BASE + "commit/", {"token": token, "mode": "all"})
    assert committed.context["report"].committed
    assert snapshot() == before


def test_bom_less_utf8_and_new_rows(client: Client, users: dict, directory: list) -> None:
    client.force_login(users["ward"])
    rows = [
        HEADER,
        ",おとしより相談センター,おとしより相談センター新河岸,,板橋区新河岸1,35.79,139.65,"
        "03-1,,,高島平、narimasu,",
        ",houkatsu,非公開の窓口,,,,,,,,,いいえ",
    ]
    response = upload(client, "\r\n".join(rows).encode("utf-8"))
    assert response.context["report"].created == 2
    assert Institution.objects.count() == 3  # a dry run writes nothing
    client.post(BASE + "commit/", {"token": response.context["token"], "mode": "all"})
    made = Institution.objects.get(name="おとしより相談センター新河岸")
    assert {a.code for a in made.areas.all()} == {"takashimadaira", "narimasu"}
    assert made.is_public and made.kind.code == "houkatsu"
    assert not Institution.objects.get(name="非公開の窓口").is_public


def test_bad_rows_are_reported_and_the_person_chooses(
    client: Client, users: dict, directory: list
) -> None:
    client.force_login(users["ward"])
    foreign = make_institution("みどり町の窓口", covers=("minami-jhs",),
                               municipality_code="999991")  # fmt: skip
    rows = [
        HEADER,
        ",houkatsu,良い行,,,,,,,,,",
        ",病院,種類がない,,,,,,,,,",
        ",houkatsu,,,,,,,,,,",
        f"{foreign.pk},houkatsu,よその機関,,,,,,,,,",
        ",houkatsu,地域がない,,,,,,,,どこか,",
        ",houkatsu,緯度だけ,,,35.7,,,,,,",
        ",houkatsu,公開がへん,,,,,,,,,たぶん",
    ]
    response = upload(client, "\n".join(rows).encode("cp932"))
    text = response.content.decode()
    bad = {r.number: r.errors for r in response.context["report"].bad}
    assert sorted(bad) == [3, 4, 5, 6, 7, 8]
    assert bad[3] == ["種類: 「病院」という種類はありません。"]
    assert bad[4] == ["名称: このフィールドは必須です。"]
    assert bad[5] == [f"id: この自治体に id {foreign.pk} の機関はありません。"]
    assert bad[6] == ["担当する地域: 「どこか」という地域はありません。"]
    assert bad[7] == ["経度: 緯度と経度は両方入れるか、両方空にしてください。"]
    assert bad[8] == ["公開: 「はい」か「いいえ」で書いてください。"]
    assert "3 行目" in text and "問題のない 1 行だけ登録する" in text
    token = response.context["token"]
    refused = client.post(BASE + "commit/", {"token": token, "mode": "all"})
    assert "問題のある行があるため、何も取り込みませんでした" in refused.content.decode()
    assert not Institution.objects.filter(name="良い行").exists()
    taken = client.post(BASE + "commit/", {"token": refused.context["token"], "mode": "good"})
    assert taken.context["report"].committed
    assert Institution.objects.filter(name="良い行").exists()
    assert not Institution.objects.filter(name="みどり町の窓口", municipality__code="131199")


def test_updates_an_existing_row(client: Client, users: dict, directory: list) -> None:
    client.force_login(users["ward"])
    first = directory[0]
    row = f"{first.pk},houkatsu,新しい名前,,,,,,,,{area('narimasu').code},"
    response = upload(client, f"{HEADER}\n{row}\n{row}".encode())
    report = response.context["report"]
    assert report.updated == 1 and report.bad[0].errors == ["id: 同じ id が前の行にもあります。"]
    client.post(BASE + "commit/", {"token": response.context["token"], "mode": "good"})
    first.refresh_from_db()
    assert first.name == "新しい名前" and first.is_public  # empty 公開: kept as it was
    assert [a.code for a in first.areas.all()] == ["narimasu"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\n,,\n", "x.csv", "見出しの行がありません。"),
        ("id,名称\n".encode(), "x.csv", "次の列がありません"),
        (f"{HEADER},色\n".encode(), "x.csv", "知らない列があります: 色"),
        (b"\xd0\xcf\x11\xe0rest", "x.xls", "古い形式の Excel ファイル"),
        (b"not a workbook", "x.xlsx", "Excel ファイル（.xlsx）として読み込めませんでした"),
    ],
)
def test_unreadable_files_are_refused(
    client: Client, users: dict, content: bytes, name: str, message: str
) -> None:
    client.force_login(users["ward"])
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_template_has_only_the_header(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    response = client.get(BASE + "template/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [transfer.COLUMNS]
    csv = client.get(BASE + "template/", {"format": "csv"}).content
    assert csv == ("\ufeff" + HEADER + "\r\n").encode()


def test_commit_without_a_dry_run_writes_nothing(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    response = client.post(BASE + "commit/", {"token": "guess", "mode": "all"})
    assert response.status_code == 302 and not Institution.objects.exists()
