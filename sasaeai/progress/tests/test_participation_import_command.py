"""manage.py import_participants: checks every row and writes nothing without --commit; with it,
writes all rows or, with one bad row, none; --area narrows the file to a block or region."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sasaeai.directory.tests.builders import make_activity
from sasaeai.progress.models import Participation

pytestmark = pytest.mark.django_db
HEADER = (
    "id,活動名,基準の月,参加者実人数,うち男性,うち女性,うち65〜74歳,うち75歳以上,1回あたり人数\n"
)


def test_the_command_checks_then_commits(tmp_path: Any, itabashi: Any) -> None:
    salon = make_activity("いきいきサロン")
    theirs = make_activity("徳丸の体操", "tokumaru")
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + f"{salon.pk},いきいきサロン,2027-03,12,,,,,\n{theirs.pk},,3月,8,3,5,,,\n",
        encoding="cp932",
    )
    out = io.StringIO()
    call_command("import_participants", "131199", "2026", str(good), stdout=out)
    assert "登録しませんでした（取り込める行: 新規 2 件" in out.getvalue()
    assert not Participation.objects.exists()
    call_command("import_participants", "131199", "2026", str(good), "--commit", stdout=out)
    assert "新規 2 件、更新 0 件を登録しました" in out.getvalue()
    stored = {p.activity_id: p for p in Participation.objects.all()}
    assert (stored[theirs.pk].participants, stored[theirs.pk].men) == (8, 3)
    assert stored[theirs.pk].month == dt.date(2027, 3, 1) and stored[theirs.pk].entered_by is None


def test_a_bad_row_writes_nothing(tmp_path: Any, itabashi: Any) -> None:
    salon = make_activity("いきいきサロン")
    theirs = make_activity("徳丸の体操", "tokumaru")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + f"{salon.pk},,2027-03,12,,,,,\n{theirs.pk},,2027-03,-1,,,,,\n", encoding="utf-8"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command("import_participants", "131199", "2026", str(bad), "--commit", stdout=out)
    assert "3 行目: 参加者実人数: 0 以上の数を書いてください" in out.getvalue()
    assert not Participation.objects.exists()
    # Narrowed to 高島平, 徳丸's activity is another region's.
    out = io.StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command(
            "import_participants", "131199", "2026", str(bad), "--area", "takashimadaira",
            stdout=out,
        )  # fmt: skip
    assert "この活動は高島平の活動ではありません（徳丸の活動です）。" in out.getvalue()
    with pytest.raises(CommandError, match="「nowhere」のブロックか地域はありません"):
        call_command("import_participants", "131199", "2026", str(bad), "--area", "nowhere")
    with pytest.raises(CommandError, match="自治体コード「000000」はありません"):
        call_command("import_participants", "000000", "2026", str(bad))
