from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sasaeai.accounts.models import Membership, Role
from sasaeai.areas.loader import AreaFileError, load_areas
from sasaeai.areas.models import Area
from sasaeai.test import DATA, make_user

pytestmark = pytest.mark.django_db
HEADER = "code,parent,kind,name,kana,layer,sort,hosts,note,lat,lng\n"
ROOT = "555555,,municipality,テスト市,てすとし,第1層,0,,\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "areas.csv"
    path.write_text(HEADER + ROOT + body, encoding="utf-8")
    return path


def test_itabashi_has_ward_four_blocks_and_eighteen_regions() -> None:
    load_areas(DATA / "itabashi.csv")
    ward = Area.objects.get(code="131199")
    assert ward.name == "板橋区" and ward.municipality == ward
    assert list(Area.objects.of(ward).blocks().values_list("name", flat=True)) == [
        "板橋ブロック",
        "上板橋ブロック",
        "志村ブロック",
        "赤塚ブロック",
    ]
    regions = Area.objects.of(ward).regions()
    assert regions.count() == 18
    takashimadaira = regions.get(name="高島平")
    assert takashimadaira.path == "131199/blk-akatsuka/takashimadaira"
    assert "既定値" in takashimadaira.note
    assert set(
        Area.objects.within(Area.objects.get(code="blk-akatsuka"))
        .regions()
        .values_list("name", flat=True)
    ) == {"下赤塚", "成増", "徳丸", "高島平"}


def test_reload_is_idempotent_and_updates_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, "b1,555555,block,北,,,1,,\nr1,b1,region,一丁目,,,1,,\n")
    load_areas(path)
    region_pk = Area.objects.get(code="r1").pk
    assert load_areas(path).unchanged == ["555555", "b1", "r1"]

    path = write(
        tmp_path,
        "b1,555555,block,北,,,1,,\nb2,555555,block,南,,,2,,\nr1,b2,region,一丁目（改）,,,1,,\n",
    )
    report = load_areas(path)
    moved = Area.objects.get(code="r1")
    assert moved.pk == region_pk
    assert moved.name == "一丁目（改）" and moved.path == "555555/b2/r1"
    assert report.created == ["b2"] and report.updated == ["r1"]


def test_reload_never_deletes_an_area_that_has_data(tmp_path: Path) -> None:
    load_areas(
        write(
            tmp_path,
            "r1,555555,region,一丁目,,,1,,\nr2,555555,region,二丁目,,,2,,\n"
            "r3,555555,region,三丁目,,,3,,\n",
        )
    )
    make_user("sc@example.jp", Role.REGION_SC, "r1")
    report = load_areas(write(tmp_path, "r3,555555,region,三丁目,,,3,,\n"))
    assert report.kept == ["r1"] and report.deleted == ["r2"]
    assert Area.objects.filter(code="r1").exists()
    assert Membership.objects.filter(area__code="r1").exists()


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("r1,nowhere,region,一丁目,,,1,,\n", 3, "親「nowhere」"),
        ("r1,555555,street,一丁目,,,1,,\n", 3, "種別「street」"),
        ("R 1,555555,region,一丁目,,,1,,\n", 3, "半角英小文字"),
        ("r1,555555,region,,,,1,,\n", 3, "名称が空"),
        ("r1,555555,region,一丁目,,,1,,\nr1,555555,region,二丁目,,,2,,\n", 4, "重複"),
        ("r1,555555,region,一丁目,,,一,,\n", 3, "並び順"),
        ("r1,555555,region,一丁目,,,1,,\nb1,r1,block,北,,,1,,\n", 4, "置けません"),
    ],
)
def test_bad_row_stops_the_load_with_line_and_reason(
    tmp_path: Path, body: str, line: int, reason: str
) -> None:
    load_areas(DATA / "itabashi.csv")
    before = list(Area.objects.values_list("pk", "path", "name"))
    with pytest.raises(AreaFileError) as error:
        load_areas(write(tmp_path, "ok,555555,region,正しい行,,,1,,\n" + body))
    assert error.value.line == line + 1
    assert reason in error.value.reason
    assert list(Area.objects.values_list("pk", "path", "name")) == before


def test_unknown_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("# comment\ncode,parent,kind,name,colour\n", encoding="utf-8")
    with pytest.raises(AreaFileError) as error:
        load_areas(path)
    assert error.value.line == 2 and "colour" in error.value.reason


def test_command_reports_file_line_and_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "r1,555555,region,,,,1,,\n")
    with pytest.raises(CommandError, match=r"areas\.csv 3行目: 名称が空です"):
        call_command("load_areas", str(path))
    assert not Area.objects.exists()


def test_command_accepts_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(HEADER + ROOT, encoding="utf-8-sig")
    call_command("load_areas", str(path))
    assert Area.objects.get(code="555555").name == "テスト市"


def test_centre_coordinates_are_loaded_and_checked(tmp_path: Path) -> None:
    load_areas(DATA / "itabashi.csv")
    takashimadaira = Area.objects.get(code="takashimadaira")
    assert takashimadaira.latitude == pytest.approx(35.789, abs=0.01)
    with pytest.raises(AreaFileError, match="範囲外"):
        load_areas(write(tmp_path, "r1,555555,region,一丁目,,,1,,,135.0,139.0\n"))


def test_the_lines_of_many_areas_come_in_one_query(django_assert_num_queries: Any) -> None:
    load_areas(DATA / "itabashi.csv")
    load_areas(DATA / "example-town.csv")
    areas = list(Area.objects.order_by("path"))
    with django_assert_num_queries(1):
        chains = Area.objects.chains(areas)
    for area in areas:  # the same line as ancestors(), one query each, gives
        assert chains[area.pk] == [*area.ancestors(), area]
    assert [a.name for a in chains[Area.objects.get(code="takashimadaira").pk]] == [
        "板橋区", "赤塚ブロック", "高島平"
    ]  # fmt: skip
    with django_assert_num_queries(0):
        assert Area.objects.chains([]) == {}
