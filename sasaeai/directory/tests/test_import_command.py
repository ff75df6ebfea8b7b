"""manage.py import_activities PATH --municipality CODE [--dry-run] [--all-or-nothing]."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sasaeai.directory.models import Activity
from sasaeai.directory.tests.test_transfer import file_of, make_activity, row

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / ("activities.xlsx" if encoding == "xlsx" else "activities.csv")
    path.write_bytes(file_of(rows, encoding))
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_activities", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "xlsx"])
def test_imports_a_file_into_the_municipality(
    itabashi: object, tmp_path: Path, encoding: str
) -> None:
    path = write(tmp_path, [row(活動名="A"), row(活動名="B", 地域コード="narimasu")], encoding)
    out = run(str(path), "--municipality", "131199")
    assert "新規 2 件、更新 0 件を登録しました（変更なし 0 件）" in out
    assert sorted(Activity.objects.values_list("area__code", flat=True)) == [
        "narimasu",
        "takashimadaira",
    ]


def test_dry_run_writes_nothing(itabashi: object, tmp_path: Path) -> None:
    existing = make_activity()
    path = write(tmp_path, [row(), row(id=str(existing.pk), 活動名="別の名前")])
    out = run(str(path), "--municipality", "131199", "--dry-run")
    assert "登録しませんでした（取り込める行: 新規 1 件、更新 1 件、変更なし 0 件）" in out
    assert Activity.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "体操の会"


def test_bad_rows_are_listed_and_the_good_ones_written(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(活動名="A"), row(地域コード="kita-jhs"), row(活動名="C")])
    out = StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command("import_activities", str(path), "--municipality", "131199", stdout=out)
    assert "3 行目: 地域コード：この自治体にない地域コードです。" in out.getvalue()
    assert Activity.objects.count() == 2


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(活動名="A"), row(種類="囲碁")])
    with pytest.raises(CommandError):
        run(str(path), "--municipality", "131199", "--all-or-nothing")
    assert not Activity.objects.exists()


def test_other_municipality_takes_only_its_own_area_codes(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(種類=""), row(地域コード="kita-1", 種類="")])
    with pytest.raises(CommandError):
        run(str(path), "--municipality", "999991")
    assert list(Activity.objects.values_list("area__code", flat=True)) == ["kita-1"]


def test_unknown_municipality_missing_file_and_bad_file_stop_the_command(
    itabashi: object, tmp_path: Path
) -> None:
    path = write(tmp_path, [row()])
    with pytest.raises(CommandError, match="自治体コード「000000」はありません"):
        run(str(path), "--municipality", "000000")
    with pytest.raises(CommandError, match="ファイルを読めません"):
        run(str(tmp_path / "none.csv"), "--municipality", "131199")
    (tmp_path / "bad.csv").write_bytes("活動名\nA\n".encode())
    with pytest.raises(CommandError, match="次の列がありません"):
        run(str(tmp_path / "bad.csv"), "--municipality", "131199")
    assert not Activity.objects.exists()
