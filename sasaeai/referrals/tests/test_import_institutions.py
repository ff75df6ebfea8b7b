"""manage.py import_institutions PATH --municipality CODE [--dry-run] [--all-or-nothing]."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sasaeai.referrals import transfer
from sasaeai.referrals.models import Institution

from .builders import make_institution

pytestmark = pytest.mark.django_db


def row(**values: str) -> list[str]:
    """A good row for a new おとしより相談センター covering 高島平, with `values` on top."""
    good = {"種類": "houkatsu", "名称": "おとしより相談センター新河岸", "担当する地域": "高島平",
            "受付時間": "月〜金 8:30〜17:15", **values}  # fmt: skip
    return [good.get(c, "") for c in transfer.COLUMNS]


def write(tmp_path: Path, rows: list[list[str]], fmt: str = "csv") -> Path:
    path = tmp_path / ("institutions.xlsx" if fmt == "xlsx" else "institutions.csv")
    path.write_bytes(transfer.write(rows, fmt))
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_institutions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "cp932", "xlsx"])
def test_imports_a_file_into_the_municipality(itabashi: object, tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, [row(), row(名称="成増の窓口", 担当する地域="narimasu")], fmt)
    out = run(str(path), "--municipality", "131199")
    assert "新規 2 件、更新 0 件を登録しました（変更なし 0 件）" in out
    made = Institution.objects.get(name="おとしより相談センター新河岸")
    assert made.hours == "月〜金 8:30〜17:15"  # cp932 too
    assert [a.code for a in made.areas.all()] == ["takashimadaira"]
    assert Institution.objects.get(name="成増の窓口").municipality.code == "131199"


def test_dry_run_writes_nothing(itabashi: object, tmp_path: Path) -> None:
    existing = make_institution()
    path = write(tmp_path, [row(), row(id=str(existing.pk), 名称="別の名前")])
    out = run(str(path), "--municipality", "131199", "--dry-run")
    assert "登録しませんでした（取り込める行: 新規 1 件、更新 1 件、変更なし 0 件）" in out
    assert Institution.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "おとしより相談センター高島平"


def test_an_export_imports_unchanged(itabashi: object, tmp_path: Path) -> None:
    make_institution(hours="月〜金 8:30〜17:15")
    path = write(tmp_path, list(transfer.export_rows(Institution.objects.all())), "cp932")
    out = run(str(path), "--municipality", "131199")
    assert "新規 0 件、更新 0 件を登録しました（変更なし 1 件）" in out


def test_bad_rows_are_listed_and_the_good_ones_written(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(名称="A"), row(種類="病院"), row(名称="C")])
    out = StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command("import_institutions", str(path), "--municipality", "131199", stdout=out)
    assert "3 行目: 種類: 「病院」という種類はありません。" in out.getvalue()
    assert sorted(Institution.objects.values_list("name", flat=True)) == ["A", "C"]


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(名称="A"), row(担当する地域="どこか")])
    with pytest.raises(CommandError):
        run(str(path), "--municipality", "131199", "--all-or-nothing")
    assert not Institution.objects.exists()


def test_another_municipality_takes_only_its_own_areas(itabashi: object, tmp_path: Path) -> None:
    path = write(tmp_path, [row(名称="A", 担当する地域="minami-jhs"), row(名称="B")])
    out = StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command("import_institutions", str(path), "--municipality", "999991", stdout=out)
    assert "3 行目: 担当する地域: 「高島平」という地域はありません。" in out.getvalue()
    made = Institution.objects.get()
    assert made.municipality.code == "999991" and made.name == "A"


def test_there_is_no_row_limit(itabashi: object, tmp_path: Path) -> None:
    rows = [row(名称=f"窓口{n}") for n in range(transfer.MAX_ROWS + 1)]
    path = write(tmp_path, rows)
    out = run(str(path), "--municipality", "131199", "--dry-run")
    assert f"新規 {transfer.MAX_ROWS + 1} 件" in out


def test_unknown_municipality_missing_file_and_bad_file_stop_the_command(
    itabashi: object, tmp_path: Path
) -> None:
    path = write(tmp_path, [row()])
    with pytest.raises(CommandError, match="自治体コード「000000」はありません"):
        run(str(path), "--municipality", "000000")
    with pytest.raises(CommandError, match="ファイルを読めません"):
        run(str(tmp_path / "none.csv"), "--municipality", "131199")
    (tmp_path / "bad.csv").write_bytes("名称\nA\n".encode())
    with pytest.raises(CommandError, match="次の列がありません"):
        run(str(tmp_path / "bad.csv"), "--municipality", "131199")
    assert not Institution.objects.exists()
