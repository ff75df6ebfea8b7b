"""The spreadsheet readers and writers for any columns, the cp932 character rule they share,
and the staging of a checked file between the dry run and the commit (directory/transfer.py,
transfer_read.py, transfer_write.py)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory

from sasaeai.directory import transfer
from sasaeai.directory.models import Activity
from sasaeai.directory.services import ActivityParts, save_activity
from sasaeai.directory.transfer_format import parse_date, parse_number
from sasaeai.test import area

from .test_transfer import make_activity, run, snapshot

pytestmark = pytest.mark.django_db
PEOPLE = ["番号", "名前", "メモ"]


# --- Any columns ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_other_columns_are_written_and_read_back(fmt: str) -> None:
    rows = [[1, "=危ない名前", "一行目\n二行目〜"], [2, "", "'引用"]]
    data = transfer.write(rows, fmt, columns=PEOPLE, sheet="人")
    read = transfer.read_file(data, f"people.{'xlsx' if fmt == 'xlsx' else 'csv'}", columns=PEOPLE)
    assert [(r.number, r.values) for r in read] == [
        (2, {"番号": "1", "名前": "=危ない名前", "メモ": "一行目\n二行目〜"}),
        (3, {"番号": "2", "名前": "", "メモ": "'引用"}),
    ]


def test_the_xlsx_sheet_is_named_and_holds_the_header() -> None:
    data = transfer.write_xlsx([], columns=PEOPLE, sheet="人")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["人"]
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [PEOPLE]
    assert transfer.write_csv([], columns=PEOPLE) == "\ufeff番号,名前,メモ\r\n".encode()


def test_a_file_of_other_columns_is_refused_with_the_columns_it_lacks() -> None:
    activities = transfer.write([], "csv")
    with pytest.raises(transfer.TransferError, match="次の列がありません: 番号、名前、メモ"):
        transfer.read_file(activities, "a.csv", columns=PEOPLE)
    with pytest.raises(transfer.TransferError, match="次の列がありません: id、地域コード"):
        transfer.read_file(transfer.write([], "csv", columns=PEOPLE), "a.csv")


def test_too_many_rows_of_other_columns_are_refused() -> None:
    data = transfer.write([[n, "", ""] for n in range(3)], "csv", columns=PEOPLE)
    with pytest.raises(transfer.TransferError, match="2 行までです"):
        transfer.read_file(data, "a.csv", max_rows=2, columns=PEOPLE)


# --- cp932 -------------------------------------------------------------------------------------


def test_cp932_writes_what_windows_shows_and_reads_it_back() -> None:
    text = "14:00〜16:00 − ‖ —"
    data = transfer.write([[text, "", ""]], "cp932", columns=PEOPLE)
    assert "14:00～16:00 － ∥ ―" in data.decode("cp932")  # no ? for any of them
    (row,) = transfer.read_file(data, "a.csv", columns=PEOPLE)
    assert row.values["番号"] == "14:00〜16:00 − ‖ ―"  # — has no code of its own in cp932


def test_utf8_files_keep_the_full_width_tilde_as_it_is() -> None:
    data = transfer.write([["～ －", "", ""]], "csv", columns=PEOPLE)
    (row,) = transfer.read_file(data, "a.csv", columns=PEOPLE)
    assert row.values["番号"] == "～ －"


def test_activities_with_wave_dashes_survive_a_cp932_export_and_import(users: dict) -> None:
    activity = make_activity(
        name="ひだまりサロン〜高島平〜",
        description="お茶と体操 14:00〜16:00\n雨の日−休み",
        fee="100円〜200円",
        audience="どなたでも〜",
        last_confirmed=dt.date(2025, 4, 1),
    )
    parts = ActivityParts(
        kinds=[],
        organization_name="",
        places=[{"name": "集会所〜第二", "address": "高島平1−1−1"}],
        schedules=[transfer.parse_schedule("毎週水曜 14:00〜16:00（月〜金は休み）")],
    )
    save_activity(activity, parts)
    before = snapshot(activity)
    data = transfer.write(transfer.export_rows(Activity.objects.all()), "cp932")
    assert "ひだまりサロン～高島平～" in data.decode("cp932")
    report = run(area("131199"), data, user=users["ward"])
    assert not report.bad and report.unchanged == 1 and not report.created + report.updated
    assert snapshot(activity) == before


def test_full_width_minus_in_a_cp932_file_still_reads_as_a_date_time_and_number() -> None:
    values = {"最終確認日": "2025－04－01", "日程": "毎週水曜 14:00－16:00", "経度": "－139.5"}
    row = [values.get(c, "") for c in transfer.COLUMNS]
    data = transfer.write([row], "cp932")
    (source,) = transfer.read_file(data, "a.csv")
    assert source.values["最終確認日"] == "2025−04−01"
    assert parse_date(source.values["最終確認日"]) == dt.date(2025, 4, 1)
    schedule = transfer.parse_schedule(source.values["日程"])
    assert (schedule["opens_at"], schedule["closes_at"]) == (dt.time(14), dt.time(16))
    assert parse_number(source.values["経度"], 180) == -139.5


# --- Staging between the dry run and the commit ------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def request_with_session() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_a_staged_file_is_found_only_with_its_token_and_gone_once_discarded() -> None:
    request = request_with_session()
    token = transfer.stage(request, "upload", b"id,a\n1,2\n")
    assert transfer.staged(request, "upload", "guess") is None
    assert transfer.staged(request, "other", token) is None
    content, name = transfer.staged(request, "upload", token) or (b"", "")
    assert content == b"id,a\n1,2\n" and name.endswith(".csv")
    transfer.discard(request, "upload")
    assert transfer.staged(request, "upload", token) is None
    assert not default_storage.exists(name)


def test_staging_deletes_files_nobody_committed_for_a_day() -> None:
    first, second = request_with_session(), request_with_session()
    token = transfer.stage(first, "upload", b"old")
    _content, name = transfer.staged(first, "upload", token) or (b"", "")
    day_old = (dt.datetime.now() - dt.timedelta(days=1, minutes=1)).timestamp()
    os.utime(default_storage.path(name), (day_old, day_old))
    fresh = transfer.stage(second, "upload", b"PK new")
    assert not default_storage.exists(name)
    assert transfer.staged(first, "upload", token) is None
    assert transfer.staged(second, "upload", fresh) is not None
    transfer.discard(second, "upload")
