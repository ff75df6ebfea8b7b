"""Load a municipality's area tree from a CSV file that an administrator edits.

The file is validated whole before anything is written: one bad row stops the
load with its file, line and reason, and the database is left as it was.
Reloading an edited file updates areas in place (matched by code); an area that
disappeared from the file is deleted only when nothing refers to it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from .models import ALLOWED_PARENTS, Area, AreaKind

COLUMNS = ["code", "parent", "kind", "name", "kana", "layer", "sort", "hosts", "note", "lat", "lng"]
REQUIRED = {"code", "parent", "kind", "name"}
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class AreaFileError(Exception):
    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass
class AreaRow:
    line: int
    code: str
    parent: str
    kind: str
    name: str
    kana: str = ""
    layer: str = ""
    sort: int = 0
    hosts: str = ""
    note: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class LoadReport:
    municipality: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.municipality}: 追加 {len(self.created)} / 更新 {len(self.updated)} / "
            f"変更なし {len(self.unchanged)} / 削除 {len(self.deleted)} / "
            f"データがあるため残した地域 {len(self.kept)}"
        )


def read_rows(path: Path) -> list[AreaRow]:
    """Parse and validate the file; raise AreaFileError at the first bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AreaFileError(path, 0, "ファイルが見つかりません。") from None
    except UnicodeDecodeError:
        raise AreaFileError(path, 0, "文字コードが UTF-8 ではありません。") from None

    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise AreaFileError(path, 0, "データがありません。")
    header_line, header = numbered[0]
    columns = [c.strip() for c in next(csv.reader([header]))]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise AreaFileError(path, header_line, f"不明な列があります: {', '.join(unknown)}")
    missing = REQUIRED - set(columns)
    if missing:
        raise AreaFileError(
            path, header_line, f"必須の列がありません: {', '.join(sorted(missing))}"
        )

    rows: list[AreaRow] = []
    kinds: dict[str, str] = {}
    for number, line in numbered[1:]:
        values = next(csv.reader([line]))
        if len(values) > len(columns):
            raise AreaFileError(path, number, "列の数が見出しより多くなっています。")
        data = dict(zip(columns, [v.strip() for v in values], strict=False))
        row = _validate(path, number, data, kinds, is_first=not rows)
        kinds[row.code] = row.kind
        rows.append(row)
    return rows


def _validate(
    path: Path, number: int, data: dict[str, str], kinds: dict[str, str], *, is_first: bool
) -> AreaRow:
    def fail(reason: str) -> AreaFileError:
        return AreaFileError(path, number, reason)

    code, parent, kind, name = (data.get(k, "") for k in ("code", "parent", "kind", "name"))
    if not CODE_RE.match(code):
        raise fail(
            f"コード「{code}」は半角英小文字・数字・ハイフン（40文字まで）で書いてください。"
        )
    if code in kinds:
        raise fail(f"コード「{code}」が重複しています。")
    if kind not in AreaKind.values:
        raise fail(f"種別「{kind}」は使えません（{', '.join(AreaKind.values)} のいずれか）。")
    if not name:
        raise fail("名称が空です。")
    if is_first != (kind == AreaKind.MUNICIPALITY):
        raise fail("最初の行だけが自治体（municipality）で、ほかの行は自治体以外にしてください。")
    if kind == AreaKind.MUNICIPALITY and parent:
        raise fail("自治体の行に親は書けません。")
    if kind != AreaKind.MUNICIPALITY:
        if parent not in kinds:
            raise fail(f"親「{parent}」がこの行より前にありません。")
        if kinds[parent] not in ALLOWED_PARENTS[kind]:
            raise fail(f"{kind} は {kinds[parent]} の下に置けません。")
    sort = data.get("sort", "") or "0"
    if not sort.isdigit():
        raise fail(f"並び順「{sort}」は0以上の整数にしてください。")
    latitude, longitude = _coordinates(data.get("lat", ""), data.get("lng", ""), fail)
    return AreaRow(
        line=number,
        latitude=latitude,
        longitude=longitude,
        code=code,
        parent=parent,
        kind=kind,
        name=name,
        kana=data.get("kana", ""),
        layer=data.get("layer", ""),
        sort=int(sort),
        hosts=data.get("hosts", ""),
        note=data.get("note", ""),
    )


def _coordinates(
    lat: str, lng: str, fail: Callable[[str], AreaFileError]
) -> tuple[float | None, float | None]:
    if not lat and not lng:
        return None, None
    try:
        latitude, longitude = float(lat), float(lng)
    except ValueError:
        raise fail(f"緯度・経度「{lat},{lng}」は数字で書いてください。") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise fail(f"緯度・経度「{lat},{lng}」が範囲外です。")
    return latitude, longitude


FIELDS = (
    "kind",
    "name",
    "kana",
    "layer",
    "sort_order",
    "hosts",
    "note",
    "parent_id",
    "path",
    "latitude",
    "longitude",
)


@transaction.atomic
def load_areas(path: Path) -> LoadReport:
    rows = read_rows(path)
    root_row = rows[0]
    report = LoadReport(municipality=root_row.name)
    root = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=root_row.code).first()
    by_code: dict[str, Area] = {}
    if root is not None:
        by_code = {a.code: a for a in Area.objects.filter(municipality=root)}

    saved: dict[str, Area] = {}
    for row in rows:
        parent = saved.get(row.parent)
        area = by_code.get(row.code) or Area(code=row.code)
        before = {f: getattr(area, f) for f in FIELDS} if area.pk else None
        area.kind, area.name, area.kana, area.layer = row.kind, row.name, row.kana, row.layer
        area.sort_order, area.hosts, area.note = row.sort, row.hosts, row.note
        area.latitude, area.longitude = row.latitude, row.longitude
        area.parent = parent
        area.path = f"{parent.path}/{row.code}" if parent else row.code
        area.municipality = saved.get(root_row.code)
        _save_moving_path(area)
        if area.municipality is None:  # the root points at itself
            area.municipality = area
            area.save(update_fields=["municipality"])
        saved[row.code] = area
        after = {f: getattr(area, f) for f in FIELDS}
        bucket = (
            report.created
            if before is None
            else (report.unchanged if before == after else report.updated)
        )
        bucket.append(row.code)

    gone = [a for code, a in by_code.items() if code not in saved]
    for area in sorted(gone, key=lambda a: a.path.count("/"), reverse=True):
        try:
            with transaction.atomic():
                area.delete()
            report.deleted.append(area.code)
        except ProtectedError:
            report.kept.append(area.code)
    return report


def _save_moving_path(area: Area) -> None:
    """Save, first freeing the unique path if another row of the tree still holds it."""
    clash = Area.objects.filter(path=area.path).exclude(pk=area.pk).first()
    if clash is not None:
        clash.path = f"~moving-{clash.pk}"
        clash.save(update_fields=["path"])
    area.save()
