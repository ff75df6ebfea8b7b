"""The population aged 65+ from a 町丁目 table: a dry run shows each row and each region's sum,
the commit writes from the staged file; a bad row (unknown 町丁目, a negative or non-numeric
count), a file that cannot be read or a closed 年度 gives its reason in Japanese and writes
nothing. Also the import_population command."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from sasaeai.areas.models import Area, AreaKind
from sasaeai.progress.models import Population, PopulationSource, YearClosure
from sasaeai.test import area

pytestmark = pytest.mark.django_db
BASE = "/staff/progress/131199/population/"
UPLOAD = f"{BASE}import/?year=2026"
COMMIT = f"{BASE}import/commit/?year=2026"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv(text: str, encoding: str = "utf-8-sig", name: str = "population.csv") -> Any:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def units() -> None:
    """Two 町丁目 of 高島平 and one of 成増, as an area file with units would have them."""
    for code, name, parent in (
        ("takashimadaira-1", "高島平一丁目", "takashimadaira"),
        ("takashimadaira-2", "高島平二丁目", "takashimadaira"),
        ("narimasu-1", "成増一丁目", "narimasu"),
    ):
        region = area(parent)
        Area.objects.create(
            municipality=region.municipality, parent=region, kind=AreaKind.UNIT, code=code,
            name=name, path=f"{region.path}/{code}",
        )  # fmt: skip


def token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, "no commit form"
    return found.group(1)


def test_a_dry_run_then_the_commit_sums_the_units_per_region(users: dict) -> None:
    units()
    Population.objects.create(
        area=area("narimasu"), fiscal_year=2026, aged_65_up=1, as_of=dt.date(2027, 1, 1)
    )
    client = signed_in(users["ward"])
    table = (
        "町丁目,65歳以上人口,基準日\n"
        '高島平一丁目,"1,200",2027/1/1\n'
        "takashimadaira-2,800,2027-01-01\n"
        "成増一丁目,950,\n"
    )
    response = client.post(UPLOAD, {"file": csv(table)})
    page = response.content.decode()
    assert response.status_code == 200 and "取り込みの確認結果" in page
    assert "2,000 人" in page and "950 人" in page  # 高島平 1,200 + 800; 成増 950
    assert Population.objects.get().aged_65_up == 1  # a dry run writes nothing
    response = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert response.status_code == 200 and "取り込みの結果" in response.content.decode()
    stored = {p.area.code: p for p in Population.objects.select_related("area")}
    assert {c: (p.aged_65_up, p.as_of, p.source) for c, p in stored.items()} == {
        "takashimadaira": (2000, dt.date(2027, 1, 1), PopulationSource.IMPORTED),
        "narimasu": (950, dt.date(2027, 1, 1), PopulationSource.IMPORTED),
    }
    # The staged file is gone: committing again finds nothing.
    again = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert again.status_code == 302 and again["Location"] == UPLOAD


def test_rows_may_name_regions_and_an_xlsx_without_a_date_column_is_read(users: dict) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (["町丁目", "65歳以上人口"], ["高島平", 9876], ["narimasu", 5432.0]):
        sheet.append(line)
    content = io.BytesIO()
    book.save(content)
    upload = SimpleUploadedFile("population.xlsx", content.getvalue())
    client = signed_in(users["ward"])
    page = client.post(UPLOAD, {"file": upload}).content.decode()
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert dict(Population.objects.values_list("area__code", "aged_65_up")) == {
        "takashimadaira": 9876,
        "narimasu": 5432,
    }
    assert set(Population.objects.values_list("as_of", flat=True)) == {dt.date(2027, 1, 1)}


def test_a_cp932_file_is_read_right(users: dict) -> None:
    table = "町丁目,65歳以上人口\r\n高島平,9000\r\n徳丸,7000\r\n"
    client = signed_in(users["ward"])
    page = client.post(UPLOAD, {"file": csv(table, "cp932")}).content.decode()
    assert "高島平" in page and "9,000 人" in page and "徳丸" in page
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert dict(Population.objects.values_list("area__name", "aged_65_up")) == {
        "高島平": 9000,
        "徳丸": 7000,
    }


def test_bad_rows_each_say_why_and_nothing_is_written(users: dict) -> None:
    units()
    table = (
        "町丁目,65歳以上人口,基準日\n"
        "高島平一丁目,1200,\n"
        "高島平九丁目,300,\n"
        "成増一丁目,-4,\n"
        "徳丸,たくさん,\n"
        "高島平一丁目,10,\n"
        "高島平,5000,\n"
        "蓮根,12.5,2027-13-01\n"
    )
    response = signed_in(users["ward"]).post(UPLOAD, {"file": csv(table)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "問題のある行が 6 行あります。1行でも問題があると、何も登録しません。" in page
    assert "「高島平九丁目」という町丁目（または地域）はこの自治体にありません。" in page
    assert "65歳以上人口: 0 以上の数を書いてください（負の数は書けません）。" in page
    assert "65歳以上人口: 数字で書いてください（例: 12）。" in page
    assert "同じ町丁目が 2 行目にもあります。" in page
    assert "地域「高島平」は、地域の行（または町丁目の行）が 2 行目にも" in page
    assert "基準日: 日付は 2027-01-01 のように書いてください。" in page
    assert 'name="token"' not in page  # nothing to commit
    assert not Population.objects.exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("町丁目,65歳以上人口\n".encode("utf-16"), "UTF-16 のファイルは読み込めません"),
        (bytes(range(128, 256)) * 8, "文字コードを判別できませんでした"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "見出し（1 行目）に次の列がありません"),
        ("地域,人口\n高島平,9000\n".encode(), "次の列がありません: 町丁目、65歳以上人口"),
        ("町丁目,65歳以上人口,基準日,備考\n高島平,9000,,\n".encode(), "知らない列があります: 備考"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_japanese(
    users: dict, content: bytes, said: str
) -> None:
    upload = SimpleUploadedFile("population.csv", content)
    response = signed_in(users["ward"]).post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not Population.objects.exists()


def test_a_closed_year_is_refused_row_by_row(users: dict) -> None:
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    table = "町丁目,65歳以上人口\n高島平,9000\n徳丸,7000\n"
    page = signed_in(users["ward"]).post(UPLOAD, {"file": csv(table)}).content.decode()
    assert page.count("2026年度（令和8年度）は締められているため、取り込めません。") == 2
    assert 'name="token"' not in page and not Population.objects.exists()


def test_a_year_closed_between_the_dry_run_and_the_commit_writes_nothing(users: dict) -> None:
    client = signed_in(users["ward"])
    page = client.post(UPLOAD, {"file": csv("町丁目,65歳以上人口\n高島平,9000\n")}).content.decode()
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    response = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert response.status_code == 409
    assert "締められているため、取り込めません" in response.content.decode()
    assert not Population.objects.exists()


def test_only_the_ward_imports(users: dict) -> None:
    table = "町丁目,65歳以上人口\n高島平,9000\n"
    for who in ("block", "sc", "member"):
        client = signed_in(users[who])
        assert client.get(f"{BASE.replace('131199', 'takashimadaira')}import/").status_code == 403
        assert client.post(UPLOAD, {"file": csv(table)}).status_code == 404, who  # unseen
    assert signed_in(users["other_admin"]).post(UPLOAD, {"file": csv(table)}).status_code == 404
    # The ward coming by a region's address is led to the municipality's page.
    response = signed_in(users["ward"]).get("/staff/progress/takashimadaira/population/import/")
    assert response.status_code == 302 and response["Location"].startswith(f"{BASE}import/?year=")
    assert not Population.objects.exists()


def test_the_template_lists_the_regions(users: dict) -> None:
    response = signed_in(users["ward"]).get(f"{BASE}template/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert text.splitlines()[0] == "町丁目,65歳以上人口,基準日"
    assert len(text.splitlines()) == 19 and "高島平,," in text


def test_the_command_checks_then_commits(tmp_path: Any, itabashi: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_text("町丁目,65歳以上人口\n高島平,9000\n徳丸,7000\n", encoding="cp932")
    out = io.StringIO()
    call_command("import_population", "131199", "2026", str(good), stdout=out)
    assert "登録しませんでした" in out.getvalue() and not Population.objects.exists()
    call_command("import_population", "131199", "2026", str(good), "--commit", stdout=out)
    assert "高島平: 9000 人（2027-01-01）" in out.getvalue()
    assert dict(Population.objects.values_list("area__code", "aged_65_up")) == {
        "takashimadaira": 9000,
        "tokumaru": 7000,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("町丁目,65歳以上人口\n高島平,-1\n蓮根,100\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="問題のある行が 1 行あります"):
        call_command("import_population", "131199", "2026", str(bad), "--commit", stdout=out)
    assert "2 行目: 65歳以上人口: 0 以上の数を書いてください" in out.getvalue()
    assert not Population.objects.filter(area__code="hasune").exists()
