"""The open data sets at /opendata/: the HSDS tabular package validates with frictionless and
says what the API says; the municipal standard CSVs carry the standard's headers, a BOM and the
municipality; nothing staff-only, draft, paused, ended, called off or without consent goes
out; every file answers a conditional GET with 304; the page lists every data set."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from frictionless import Package

from sasaeai.api import datapackage, municipal
from sasaeai.api.tests.test_hsds import directory  # noqa: F401 (the fixture)
from sasaeai.directory.tests.builders import make_activity
from sasaeai.events.tests.builders import make_event, make_local_event
from sasaeai.lib.public_cache import HEADER as CACHED
from sasaeai.referrals.tests.builders import make_institution

pytestmark = pytest.mark.django_db
PATHS = ["/opendata/hsds.zip", "/opendata/events.csv", "/opendata/institutions.csv"]


def download(client: Any, path: str, **headers: Any) -> Any:
    response = client.get(path, **headers)
    assert response.status_code in (200, 304), response.status_code
    return response


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def unpacked(client: Any, into: Path) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(body(download(client, "/opendata/hsds.zip"))))
    archive.extractall(into)
    return {name: archive.read(name).decode() for name in archive.namelist()}


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_hsds_package_validates_and_holds_only_public_data(
    client: Any,
    directory: dict,  # noqa: F811
    tmp_path: Path,
) -> None:
    files = unpacked(client, tmp_path)
    assert set(files) == {"datapackage.json"} | {f"{t}.csv" for t in datapackage.TABLES}
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    services = table(files["service.csv"])
    assert [s["name"] for s in services] == ["ふれあいサロン", "体操の会"]
    everything = "".join(files.values())
    for hidden in directory["hidden"]:
        assert hidden.name not in everything
    assert "090-0000-0000" not in everything and "非公開の人" not in everything
    assert [p["number"] for p in table(files["phone.csv"])] == ["03-1234-5678"]
    assert [c["name"] for c in table(files["contact.csv"])] == ["山田"]
    header = files["schedule.csv"].splitlines()[0].split(",")
    assert header == [f["name"] for f in datapackage.TABLES["schedule"]]
    rules = {(r["freq"], r["byday"], r["bymonthday"]) for r in table(files["schedule.csv"])}
    assert ("MONTHLY", "2WE", "") in rules and ("MONTHLY", "", "15") in rules
    licence = json.loads(files["datapackage.json"])["licenses"][0]
    assert licence["name"] == "CC-BY-4.0"

    # The same services, ids and fields as the API's.
    api = client.get("/api/hsds/services").json()["contents"]
    assert [s["id"] for s in services] == [s["id"] for s in api]
    assert services[0]["fees_description"] == api[0]["fees_description"] == "100円"


def test_the_package_costs_the_same_queries_for_more_activities(
    client: Any,
    directory: dict,  # noqa: F811
) -> None:
    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            body(download(client, "/opendata/hsds.zip"))
        return len(queries)

    cost()
    few = cost()
    for n in range(30):
        make_activity(f"サロン{n}", kinds=("salon", "exercise"))
    assert cost() == few


def test_events_csv_has_the_standard_columns_and_only_public_events(
    client: Any, itabashi: Any
) -> None:
    make_event(title="SC研修会（公開）", is_public=True, address="板橋区高島平1-1")
    make_event(title="職員だけの連絡会", is_public=False)
    make_event(title="下書きの研修", is_public=True, published=False)
    make_local_event(title="いきいき体操 体験会", fee="無料", bring="タオル")
    make_local_event(title="下書きの交流会", published=False)
    off = make_local_event(title="中止した体験会")
    off.cancelled_at = off.published_at
    off.save(update_fields=["cancelled_at"])

    response = download(client, "/opendata/events.csv")
    raw = body(response)
    assert raw.startswith("\ufeff".encode()) and response["Content-Type"].startswith("text/csv")
    text = raw.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == municipal.EVENT_COLUMNS
    rows = table(text)
    assert sorted(r["イベント名"] for r in rows) == ["SC研修会（公開）", "いきいき体操 体験会"]
    assert {(r["全国地方公共団体コード"], r["地方公共団体名"]) for r in rows} == {
        ("131199", "板橋区")
    }
    local = next(r for r in rows if r["イベント名"] == "いきいき体操 体験会")
    assert local["料金(基本)"] == "無料" and local["URL"].endswith(
        f"/events/local/{local['ID'][1:]}/"
    )
    training = next(r for r in rows if r["ID"].startswith("E"))
    assert (
        training["所在地_都道府県"] == "東京都" and training["所在地_連結表記"] == "板橋区高島平1-1"
    )
    assert all(r["開始日"] and r["開始時間"] and r["説明"] is not None for r in rows)
    # The required reading, in katakana: 体操 and 体験会 read by the dictionary.
    assert local["イベント名_カナ"].startswith("イキイキタイソウ")
    assert all(re.fullmatch(r"[ァ-ヶー（）A-Z\s]+", r["イベント名_カナ"]) for r in rows), rows


def test_events_csv_may_add_the_activities_sessions_of_the_next_three_months(
    client: Any,
    directory: dict,  # noqa: F811
) -> None:
    make_local_event(title="いきいき体操 体験会")
    plain = table(body(download(client, "/opendata/events.csv")).decode("utf-8-sig"))
    assert [r["イベント名"] for r in plain] == ["いきいき体操 体験会"]

    response = download(client, "/opendata/events.csv?sessions=1")
    assert (
        response.streaming and response["ETag"] and response["Content-Type"].startswith("text/csv")
    )
    text = body(response).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == municipal.EVENT_COLUMNS
    rows = table(text)
    assert rows[0]["イベント名"] == "いきいき体操 体験会"  # the events first
    today = timezone.localdate()
    span = [today + dt.timedelta(days=n) for n in range(92)]
    # ふれあいサロン meets every Wednesday 14:00-16:00; its organiser agreed to show a contact.
    salon = [r for r in rows if r["イベント名"] == "ふれあいサロン"]
    assert [r["開始日"] for r in salon] == [f"{d:%Y-%m-%d}" for d in span if d.weekday() == 2]
    assert {(r["開始時間"], r["終了時間"], r["連絡先電話番号"]) for r in salon} == {
        ("14:00", "16:00", "03-1234-5678")
    }
    assert salon[0]["イベント名_カナ"] and salon[0]["場所名称"] == "ふれあいサロンの会場"
    assert salon[0]["URL"].endswith(directory["weekly"].get_absolute_url())
    # 体操の会: the second Wednesday and the 15th of each month; never its private contact.
    gym = [r for r in rows if r["イベント名"] == "体操の会"]
    expected = [d for d in span if (d.weekday() == 2 and 8 <= d.day <= 14) or d.day == 15]
    assert sorted(r["開始日"] for r in gym) == sorted(f"{d:%Y-%m-%d}" for d in expected)
    assert all(r["連絡先電話番号"] == "" for r in gym) and "090-0000-0000" not in text
    for hidden in directory["hidden"]:
        assert hidden.name not in text
    again = download(client, "/opendata/events.csv?sessions=1", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert download(client, "/opendata/events.csv")["ETag"] != response["ETag"]
    page = client.get("/opendata/").content.decode()
    assert "?sessions=1" in page


def test_institutions_csv_has_only_public_institutions(client: Any, itabashi: Any) -> None:
    make_institution(phone="03-1111-2222", hours="平日 9時から17時", address="板橋区高島平2-2")
    make_institution("非公開の機関", is_public=False)
    make_institution("みどり町の機関", covers=("minami-jhs",), municipality_code="999991")
    text = body(download(client, "/opendata/institutions.csv")).decode("utf-8-sig")
    # The README's 介護サービス事業所一覧 with the current edition's header and address.
    assert next(csv.reader(io.StringIO(text))) == [
        "全国地方公共団体コード", "ID", "地方公共団体名", "介護サービス事業所名称",
        "介護サービス事業所名称_カナ", "実施サービス", "所在地_全国地方公共団体コード",
        "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下",
        "建物名等(方書)", "緯度", "経度", "電話番号", "内線番号", "FAX番号", "法人番号",
        "法人の名称", "事業所番号", "利用可能曜日", "利用可能曜日特記事項", "定員", "URL", "備考",
    ]  # fmt: skip
    rows = table(text)
    assert [r["介護サービス事業所名称"] for r in rows] == ["おとしより相談センター高島平"]
    assert rows[0]["介護サービス事業所名称_カナ"].startswith("オトシヨリソウダンセンター")
    assert rows[0]["実施サービス"] and rows[0]["所在地_都道府県"] == "東京都"
    assert rows[0]["電話番号"] == "03-1111-2222" and rows[0]["全国地方公共団体コード"] == "131199"
    assert rows[0]["利用可能曜日特記事項"] == "平日 9時から17時"


def test_every_data_set_answers_a_conditional_get_with_304(
    client: Any,
    directory: dict,  # noqa: F811
) -> None:
    make_local_event()
    make_institution()
    for path in PATHS:
        first = download(client, path)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"], path
        again = download(client, path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and not body(again), path
        since = download(client, path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, path
    etag = download(client, PATHS[0])["ETag"]
    make_activity("新しいサロン")
    changed = download(client, PATHS[0], HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_page_lists_every_data_set_and_the_catalogue_too(
    client: Any,
    directory: dict,  # noqa: F811
) -> None:
    response = client.get("/opendata/")
    assert response.status_code == 200 and response.has_header(CACHED)
    page = response.content.decode()
    for path in PATHS:
        assert f'href="{path}"' in page
    for words in ("支え合い活動の一覧", "イベント一覧", "相談できる専門機関の一覧",
                  "CC BY 4.0", "最終更新", "ダウンロード", "/opendata/catalog.json"):  # fmt: skip
        assert words in page, words
    assert 'href="/opendata/"' in client.get("/").content.decode()  # the footer link

    catalog = client.get("/opendata/catalog.json").json()
    urls = [d["dcat:distribution"][0]["dcat:downloadURL"] for d in catalog["dcat:dataset"]]
    assert [u.split("/opendata/")[1] for u in urls] == [p.split("/opendata/")[1] for p in PATHS]
    assert all(
        d["dct:license"].startswith("https://creativecommons.org/licenses/by/4.0")
        for d in catalog["dcat:dataset"]
    )


def test_a_municipality_may_choose_another_licence(
    client: Any,
    directory: dict,  # noqa: F811
    settings: Any,
) -> None:
    settings.OPEN_DATA_LICENCES = {
        "131199": {
            "name": "CC0-1.0",
            "title": "CC0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    }
    assert "CC0" in client.get("/opendata/").content.decode()
    archive = zipfile.ZipFile(io.BytesIO(body(download(client, "/opendata/hsds.zip"))))
    assert json.loads(archive.read("datapackage.json"))["licenses"][0]["name"] == "CC0-1.0"


def test_the_hsds_api_answers_a_conditional_get_with_304(
    client: Any,
    directory: dict,  # noqa: F811
) -> None:
    listed = client.get("/api/hsds/services")
    assert listed.status_code == 200 and listed["ETag"]
    assert client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    one = "/api/hsds/services/" + listed.json()["contents"][0]["id"]
    etag = client.get(one)["ETag"]
    assert client.get(one, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_activity("新しいサロン")
    again = client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=listed["ETag"])
    assert again.status_code == 200 and again.json()["total_items"] == 3
