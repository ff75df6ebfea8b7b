"""Activity files beside files of other columns, and activities through the cp932 character rule
(directory/transfer.py). The readers and writers for any columns and the staging of a checked
file are tested with the machinery, in sasaeai/lib/tests/test_imports_*.py."""

from __future__ import annotations

import datetime as dt

import pytest

from sasaeai.directory import transfer
from sasaeai.directory.models import Activity
from sasaeai.directory.services import ActivityParts, save_activity
from sasaeai.directory.transfer_format import parse_date, parse_number
from sasaeai.test import area

from .test_transfer import make_activity, run, snapshot

pytestmark = pytest.mark.django_db
PEOPLE = ["番号", "名前", "メモ"]


# --- Any columns ------------------------------------------------------------------------------


def test_a_file_of_other_columns_is_refused_with_the_columns_it_lacks() -> None:
    activities = transfer.write([], "csv")
    with pytest.raises(transfer.TransferError, match="次の列がありません: 番号、名前、メモ"):
        transfer.read_file(activities, "a.csv", columns=PEOPLE)
    with pytest.raises(transfer.TransferError, match="次の列がありません: id、地域コード"):
        transfer.read_file(transfer.write([], "csv", columns=PEOPLE), "a.csv")


# --- cp932 -------------------------------------------------------------------------------------


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
