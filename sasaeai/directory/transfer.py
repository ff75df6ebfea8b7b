"""Activities in and out of spreadsheets: .xlsx, and CSV in UTF-8 (with or without BOM) or cp932.

One row per activity, in the columns of `COLUMNS` (described in docs/import-format.md). Every
value is written in the form the reader accepts, so an export re-imports unchanged. An import
checks every row first; only then, and only when asked to commit, does it write, inside one
transaction, what `services.save_activity` would write for each row (see `_save_all`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
from sasaeai.audit import log
from sasaeai.audit.models import Action

from .models import (
    WEEKDAYS,
    Activity,
    Frequency,
    Kind,
    Organization,
    Place,
    Schedule,
    Status,
    Visibility,
)

# replace_parts is save_activity's own way of replacing places and schedules; see _save_all.
from .services import ActivityParts, organization_named, replace_parts

# The headers are the file format itself, so they are not translated.
COLUMNS = [
    "id", "地域コード", "活動名", "よみがな", "活動の内容", "種類", "運営団体",
    "状態", "公開範囲", "参加費", "無料", "対象", "定員", "初めての方歓迎", "参加のしかた",
    "段差なし", "トイレ", "送迎", "連絡先名", "電話", "メール", "連絡先公開",
    "場所名", "郵便番号", "住所", "緯度", "経度", "日程", "最終確認日",
]  # fmt: skip
TEXT_FIELDS = {
    "活動名": "name", "よみがな": "kana", "活動の内容": "description", "参加費": "fee",
    "対象": "audience", "参加のしかた": "how_to_join", "連絡先名": "contact_name",
    "電話": "contact_phone", "メール": "contact_email",
}  # fmt: skip
FLAG_FIELDS = {
    "無料": "is_free", "初めての方歓迎": "welcomes_newcomers", "段差なし": "step_free",
    "トイレ": "accessible_toilet", "送迎": "pick_up", "連絡先公開": "contact_public",
}  # fmt: skip
SCHEDULE_FIELDS = ["frequency", "weekdays", "nth", "day_of_month", "opens_at", "closes_at", "note"]
PLACE_FIELDS = {
    "場所名": "name", "郵便番号": "postal_code", "住所": "address", "緯度": "latitude",
    "経度": "longitude",
}  # fmt: skip
FIELD_COLUMNS = {
    **{f: c for c, f in TEXT_FIELDS.items()},
    **{f: c for c, f in FLAG_FIELDS.items()},
    "capacity": "定員",
    "last_confirmed": "最終確認日",
}
YES, NO = "はい", "いいえ"
FLAGS = {YES: True, NO: False, "○": True, "×": False, "1": True, "0": False, "true": True,
         "false": False, "yes": True, "no": False, "あり": True, "なし": False}  # fmt: skip
KIND_SEPARATORS = re.compile(r"[、,，]")
# Excel runs a CSV cell that starts with one of these as a formula; exports prefix a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
FORMATS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "cp932": ("csv", "text/csv; charset=shift_jis"),
}
BATCH = 500  # rows read or written per query: well below every database's parameter limit
# Characters Python's cp932 cannot write, mapped to what Windows shows for the same code.
CP932_FIXES = str.maketrans({"\u2014": "\u2015"})


class TransferError(Exception):
    """The file as a whole cannot be read; the message says why, in Japanese."""


@dataclass
class SourceRow:
    number: int  # the row number as the spreadsheet shows it (the header is row 1)
    values: dict[str, str]


@dataclass
class RowResult:
    number: int
    name: str
    activity_id: int | None = None  # the activity updated, or after a commit the one created
    is_new: bool = True
    changed: bool = True  # False for an existing activity the row leaves as it is
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[RowResult]
    committed: bool = False

    @property
    def good(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]

    @property
    def created(self) -> int:
        return sum(1 for r in self.good if r.is_new)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.good if not r.is_new and r.changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.good if not r.changed)


# --- Reading ------------------------------------------------------------------------------


def read_file(data: bytes, name: str = "", *, max_rows: int | None = None) -> list[SourceRow]:
    """The data rows of an .xlsx or CSV file; raises TransferError when the file is unreadable."""
    table: Iterable[list[str]]
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):  # the pre-2007 binary format
        raise TransferError(
            _(
                "古い形式の Excel ファイル（.xls）は読めません。"
                ".xlsx か CSV で保存し直してください。"
            )
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。"))
    else:
        table = _csv_table(data)
    return _rows(table, max_rows)


def _xlsx_table(data: bytes) -> Iterator[list[str]]:
    """The first sheet's rows, read as they are needed: a huge sheet fails at the row limit."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(v) for v in row]
        finally:
            book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError, SyntaxError):
        raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。")) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_table(data: bytes) -> Iterable[list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TransferError(
            _("UTF-16 のファイルは読み込めません。CSV（UTF-8）で保存してください。")
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TransferError(
            _("文字コードを判別できませんでした。UTF-8 か Shift_JIS（cp932）で保存してください。")
        )
    try:
        return [[_unquote(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise TransferError(_("CSV ファイルとして読み込めませんでした。")) from None


def _unquote(cell: str) -> str:
    """Undo the quote an export puts before a cell Excel would run as a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def _rows(table: Iterable[list[str]], max_rows: int | None) -> list[SourceRow]:
    lines = iter(enumerate(table, start=1))
    first = next(((n, cells) for n, cells in lines if any(c.strip() for c in cells)), None)
    if first is None:
        raise TransferError(_("見出しの行がありません。"))
    number, header = first
    names = [unicodedata.normalize("NFKC", c).strip() for c in header]
    names = ["id" if n.lower() == "id" else n for n in names]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n and n not in COLUMNS]
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    for message, columns in (
        (_("見出し（%(row)s 行目）に次の列がありません: %(columns)s"), missing),
        (_("見出し（%(row)s 行目）に知らない列があります: %(columns)s"), unknown),
        (_("見出し（%(row)s 行目）に同じ列が2つあります: %(columns)s"), doubled),
    ):
        if columns:
            raise TransferError(message % {"row": number, "columns": "、".join(columns)})
    index = {n: i for i, n in enumerate(names) if n}
    rows = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        values = {c: _clean(cells[i]) if i < len(cells) else "" for c, i in index.items()}
        rows.append(SourceRow(number, values))
        if max_rows is not None and len(rows) > max_rows:
            raise TransferError(
                _("一度に取り込めるのは %(max)s 行までです。ファイルを分けてください。")
                % {"max": f"{max_rows:,}"}
            )
    return rows


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


# --- Schedules in words -----------------------------------------------------------------------

_DAYS = "[月火水木金土日](?:[・、,][月火水木金土日])*"
# Beyond what in_words() writes, also read 曜日, a missing 曜 after the days, and 14:00-16:00.
_WHEN = re.compile(
    rf"(?:毎週(?:(?P<weekly>{_DAYS})(?:曜日?)?)?"
    rf"|毎月(?:第(?P<nth>\d+))?(?:(?P<nth_days>{_DAYS})(?:曜日?)?|曜)"
    r"|毎月(?P<date>\d+)日|(?P<irregular>不定期))"
    r"(?:\s*(?P<opens>\d{1,2}:\d{2})(?:[〜~-](?P<closes>\d{1,2}:\d{2})?)?)?"
)
_HEADS = ("毎週", "毎月", "不定期")


def parse_schedules(text: str) -> list[dict[str, Any]]:
    """Schedules written as Schedule.in_words() writes them, one a line or separated by ／."""
    pieces: list[str] = []
    for line in text.splitlines():
        parts = line.split("／")
        current = parts[0]
        for part in parts[1:]:
            # A ／ inside a note（…）does not start a new schedule.
            if part.lstrip().startswith(_HEADS):
                pieces.append(current)
                current = part
            else:
                current += "／" + part
        pieces.append(current)
    return [parse_schedule(p.strip()) for p in pieces if p.strip()]


def parse_schedule(text: str) -> dict[str, Any]:
    """The fields of one schedule from its words: the exact inverse of Schedule.in_words()."""
    words, note = text, ""
    if text.endswith(("）", ")")):
        start = min((i for i in (text.find("（"), text.find("(")) if i >= 0), default=-1)
        if start >= 0:
            words, note = text[:start], text[start + 1 : -1]
    words = unicodedata.normalize("NFKC", words).strip()
    match = _WHEN.fullmatch(words)
    fail = ValueError(
        _("「%(text)s」は日程として読めません。例: 毎週水曜 14:00〜16:00") % {"text": text}
    )
    if match is None:
        raise fail
    days = match["weekly"] or match["nth_days"] or ""
    weekdays = sorted({WEEKDAYS.index(d) for d in re.sub("[・、,]", "", days)})
    nth = int(match["nth"]) if match["nth"] else None
    date = int(match["date"]) if match["date"] else None
    if (nth is not None and not 1 <= nth <= 5) or (date is not None and not 1 <= date <= 31):
        raise fail
    if match["irregular"]:
        frequency = Frequency.IRREGULAR
    elif date is not None:
        frequency = Frequency.MONTHLY_DATE
    else:
        frequency = Frequency.MONTHLY_NTH if words.startswith("毎月") else Frequency.WEEKLY
    try:
        opens, closes = (_time(match[g]) for g in ("opens", "closes"))
    except ValueError:
        raise fail from None
    if len(note) > 200:
        raise ValueError(_("日程の補足は 200 文字までです。"))
    return {
        "frequency": frequency,
        "weekdays": ",".join(str(d) for d in weekdays),
        "nth": nth,
        "day_of_month": date,
        "opens_at": opens,
        "closes_at": closes,
        "note": note,
    }


def _time(text: str | None) -> dt.time | None:
    if not text:
        return None
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


# --- Checking and importing -------------------------------------------------------------------


@dataclass
class _Current:
    """What an existing activity consists of now."""

    kind_ids: set[int]
    organization_name: str
    places: list[Place]
    schedules: list[Schedule]

    def place_values(self) -> list[dict[str, Any]]:
        return [{name: getattr(p, name) for name in PLACE_FIELDS.values()} for p in self.places]

    def schedule_values(self) -> list[dict[str, Any]]:
        return [{name: getattr(s, name) for name in SCHEDULE_FIELDS} for s in self.schedules]

    def same_as(self, parts: ActivityParts) -> bool:
        return (
            self.kind_ids == {k.pk for k in parts.kinds}
            and self.organization_name == parts.organization_name
            and self.place_values() == parts.places
            and self.schedule_values() == parts.schedules
        )


@dataclass
class _Plan:
    activity: Activity
    parts: ActivityParts
    current: _Current | None


@dataclass
class _Context:
    """Everything rows are checked against, loaded once for the whole file."""

    user: Any
    areas: dict[str, Area]
    kinds: dict[str, Kind]
    existing: dict[int, Activity]
    current: dict[int, _Current]
    seen: dict[int, int] = field(default_factory=dict)  # activity id → first row number

    @classmethod
    def load(cls, municipality: Area, user: Any, rows: list[SourceRow]) -> _Context:
        areas = Area.objects.filter(
            models.Q(municipality=municipality) | models.Q(pk=municipality.pk)
        )
        every_kind = list(Kind.objects.of(municipality).order_by("-id"))
        # A name wins over another kind's code; of two kinds with one name, the older.
        kinds = {k.code: k for k in every_kind} | {k.name: k for k in every_kind}
        ids = sorted({int(r.values["id"]) for r in rows if r.values["id"].isdigit()})
        found = Activity.objects.of(municipality).select_related("area", "organization")
        if user is not None:
            found = access.scope(user, found, Capability.EDIT)
        existing: dict[int, Activity] = {}
        current: dict[int, _Current] = {}
        for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
            for a in found.filter(pk__in=chunk):
                existing[a.pk] = a
                current[a.pk] = _Current(
                    set(), a.organization.name if a.organization else "", [], []
                )
            chunk = [pk for pk in chunk if pk in current]
            through = Activity.kinds.through.objects.filter(activity_id__in=chunk)
            for activity_id, kind_id in through.values_list("activity_id", "kind_id"):
                current[activity_id].kind_ids.add(kind_id)
            # Each part knows its activity, as when save_activity reads activity.places.
            for place in Place.objects.filter(activity_id__in=chunk).order_by("id"):
                place.activity = existing[place.activity_id]
                current[place.activity_id].places.append(place)
            for schedule in Schedule.objects.filter(activity_id__in=chunk).order_by("id"):
                schedule.activity = existing[schedule.activity_id]
                current[schedule.activity_id].schedules.append(schedule)
        return cls(user, {a.code: a for a in areas}, kinds, existing, current)

    def may(self, capability: str, area: Area) -> bool:
        return self.user is None or access.can(self.user, capability, area)


def import_rows(
    municipality: Area,
    rows: list[SourceRow],
    *,
    commit: bool,
    all_or_nothing: bool,
    user: Any = None,
) -> ImportReport:
    """Check every row, then (if `commit`) save the good ones in one transaction.

    With `all_or_nothing`, one bad row means nothing is written. `user` limits the rows to
    the areas they may edit; None (the management command) allows the whole municipality.
    A row that would change nothing is not written.
    """
    context = _Context.load(municipality, user, rows)
    checked = [_check(row, context) for row in rows]
    report = ImportReport([result for result, _plan in checked])
    if not commit or not report.good or (all_or_nothing and report.bad):
        return report
    with transaction.atomic():
        _save_all([p for r, p in checked if p is not None and r.changed])
    for result, plan in checked:
        if plan is not None:
            result.activity_id = plan.activity.pk
    report.committed = True
    return report


def _save_all(plans: list[_Plan]) -> None:
    """Do what save_activity does for each plan, a batch of plans at a time.

    save_activity runs about 19 queries per activity: 10,000 new rows took 100 s. This takes
    the same steps with the same building blocks (organization_named, Activity.save,
    services.replace_parts for an existing activity's places and schedules, refresh_search), but
    names each organiser once, adds the kinds of a batch in one query, inserts the places and
    schedules of new activities in one query each (auditing each part as its save would) and
    reads the parts back for the reindex once per batch. test_transfer proves that both ways
    store the same.
    """
    organizations: dict[str, Organization | None] = {}
    through = Activity.kinds.through
    for batch in (plans[i : i + BATCH] for i in range(0, len(plans), BATCH)):
        links, places, schedules = [], [], []
        for plan in batch:
            activity, parts, current = plan.activity, plan.parts, plan.current
            name = parts.organization_name.strip()
            if name not in organizations:
                municipality = activity.area.municipality or activity.area
                organizations[name] = organization_named(municipality, activity.area, name)
            activity.organization = organizations[name]
            activity.save()
            kind_ids, old = {k.pk for k in parts.kinds}, current.kind_ids if current else set()
            if old - kind_ids:
                through.objects.filter(activity=activity, kind_id__in=old - kind_ids).delete()
            links += [through(activity_id=activity.pk, kind_id=pk) for pk in kind_ids - old]
            if current is None:
                places += [Place(activity=activity, **values) for values in parts.places]
                schedules += [Schedule(activity=activity, **values) for values in parts.schedules]
            else:  # parts the row leaves as they are are not saved again
                if current.place_values() != parts.places:
                    replace_parts(current.places, Place, activity, parts.places)
                if current.schedule_values() != parts.schedules:
                    replace_parts(current.schedules, Schedule, activity, parts.schedules)
        through.objects.bulk_create(links)
        for part in [*Place.objects.bulk_create(places), *Schedule.objects.bulk_create(schedules)]:
            log.record(Action.CREATE, obj=part)
        saved = Activity.objects.filter(pk__in=[plan.activity.pk for plan in batch])
        related = saved.select_related("area", "organization")
        for activity in related.prefetch_related("places", "schedules", "kinds"):
            activity.refresh_search()


def _check(row: SourceRow, context: _Context) -> tuple[RowResult, _Plan | None]:
    """The row's result, and what to save when the row is good."""
    v = row.values
    result = RowResult(row.number, v["活動名"])

    def fail(column: str, message: str) -> None:
        result.errors.append(f"{column}：{message}")

    activity, area = _target(v, context, result, fail)
    status = activity.status
    _assign(activity, v, fail)
    if area and activity.status != status and not context.may(Capability.PUBLISH, area):
        fail("状態", _("この地域の活動の状態を変える権限がありません。"))
    kinds = []
    for word in filter(None, (w.strip() for w in KIND_SEPARATORS.split(v["種類"]))):
        if word in context.kinds:
            kinds.append(context.kinds[word])
        else:
            fail("種類", _("「%(kind)s」という種類はありません。") % {"kind": word})
    if len(v["運営団体"]) > 120:
        fail("運営団体", _("120 文字までにしてください。"))
    schedules: list[dict[str, Any]] = []
    try:
        schedules = parse_schedules(v["日程"])
    except ValueError as error:
        fail("日程", str(error))
    current = context.current.get(activity.pk) if activity.pk else None
    # One place per row: the activity's other places stay as they are.
    places = current.place_values()[1:] if current else []
    if any(v[c] for c in PLACE_FIELDS) and (place := _place(v, fail)) is not None:
        places.insert(0, place)
    _validate(activity, FIELD_COLUMNS, fail, exclude=["municipality", "area", "organization"])
    if not result.ok:
        return result, None
    parts = ActivityParts(list(dict.fromkeys(kinds)), v["運営団体"], places, schedules)
    if current is not None:
        result.changed = bool(activity.audit_changed_fields()) or not current.same_as(parts)
    return result, _Plan(activity, parts, current)


def _target(
    v: dict[str, str], context: _Context, result: RowResult, fail: Any
) -> tuple[Activity, Area | None]:
    """The activity the row writes (the one its id names, or a new one), and its area if the
    person may edit there."""
    activity = Activity()
    if v["id"]:
        pk = int(v["id"]) if v["id"].isdigit() else 0
        if pk in context.seen:
            fail("id", _("同じ id が %(row)s 行目にもあります。") % {"row": context.seen[pk]})
        elif pk not in context.existing:
            fail("id", _("この id の活動は見つからないか、編集できません。"))
        else:
            activity = context.existing[pk]
            context.seen[pk] = result.number
            result.activity_id, result.is_new = pk, False
    area = context.areas.get(v["地域コード"])
    if not v["地域コード"]:
        fail("地域コード", _("地域コードを書いてください。"))
    elif area is None:
        fail("地域コード", _("この自治体にない地域コードです。"))
    elif not context.may(Capability.EDIT, area):
        fail("地域コード", _("この地域は担当外です。"))
    else:
        activity.area = area
        return activity, area
    return activity, None


def _assign(activity: Activity, v: dict[str, str], fail: Any) -> None:
    """The row's own fields onto the activity; a blank choice leaves the value as it is."""
    for column, name in TEXT_FIELDS.items():
        setattr(activity, name, v[column])
    parsers: list[tuple[str, str, Any]] = [
        ("状態", "status", lambda text: _choice(text, Status)),
        ("公開範囲", "visibility", lambda text: _choice(text, Visibility)),
        *((column, name, _flag) for column, name in FLAG_FIELDS.items()),
    ]
    for column, name, parse in parsers:
        try:
            if (value := parse(v[column])) is not None:
                setattr(activity, name, value)
        except ValueError as error:
            fail(column, str(error))
    for column, name, parse in (
        ("定員", "capacity", _count),
        ("最終確認日", "last_confirmed", _date),
    ):
        try:
            setattr(activity, name, parse(v[column]))
        except ValueError as error:
            fail(column, str(error))


def _place(v: dict[str, str], fail: Any) -> dict[str, Any] | None:
    place: dict[str, Any] = {name: v[column] for column, name in PLACE_FIELDS.items()}
    ok = True
    for column, limit in (("緯度", 90), ("経度", 180)):
        try:
            place[PLACE_FIELDS[column]] = _number(v[column], limit)
        except ValueError as error:
            fail(column, str(error))
            ok = False
    if (place["latitude"] is None) != (place["longitude"] is None):
        fail("緯度", _("緯度と経度は、両方書くか両方空にしてください。"))
        ok = False
    columns = {name: column for column, name in PLACE_FIELDS.items()}
    ok = _validate(Place(**place), columns, fail, exclude=["activity"]) and ok
    return place if ok else None


def _validate(obj: models.Model, columns: dict[str, str], fail: Any, exclude: list[str]) -> bool:
    """Model validation (lengths, e-mail, required fields), reported per column."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                fail(columns.get(name, name), message)
        return False
    return True


def _choice(text: str, choices: type[models.TextChoices]) -> str | None:
    if not text:
        return None
    for value, label in choices.choices:
        if text in (value, str(label), str(label).split("（")[0]):
            return str(value)
    accepted = "、".join(str(label).split("（")[0] for label in choices.labels)
    raise ValueError(
        _("「%(text)s」は使えません。次のどれかにしてください: %(accepted)s")
        % {"text": text, "accepted": accepted}
    )


def _flag(text: str) -> bool | None:
    if not text:
        return None
    flag = FLAGS.get(unicodedata.normalize("NFKC", text).lower())
    if flag is None:
        raise ValueError(_("「はい」か「いいえ」で書いてください。"))
    return flag


def _count(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text).removesuffix("人")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(_("0 以上の整数で書いてください。"))
    return int(text)


def _number(text: str, limit: int) -> float | None:
    if not text:
        return None
    try:
        number = float(unicodedata.normalize("NFKC", text))
    except ValueError:
        raise ValueError(_("数で書いてください。")) from None
    if not -limit <= number <= limit:
        raise ValueError(
            _("-%(limit)s から %(limit)s までの数で書いてください。") % {"limit": limit}
        )
    return number


def _date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?: 00:00(?::00)?)?", text)
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(
            _("「%(text)s」は日付として読めません。2025-04-01 の形で書いてください。")
            % {"text": text}
        ) from None


# --- Writing --------------------------------------------------------------------------------


def export_rows(activities: models.QuerySet[Activity]) -> Iterator[list[Any]]:
    """The rows of these activities, in COLUMNS order, as the importer reads them back."""
    municipalities = activities.order_by().values_list("municipality_id", flat=True).distinct()
    labels = _kind_labels(Kind.objects.filter(municipality_id__in=list(municipalities)))
    activities = activities.select_related("area", "organization").prefetch_related(
        "kinds", "places", "schedules"
    )
    for a in activities.order_by("pk").iterator(chunk_size=500):
        place = next(iter(a.places.all()), None)
        yield [
            a.pk, a.area.code, a.name, a.kana, a.description,
            "、".join(labels.get(k.pk, k.code) for k in a.kinds.all()),
            a.organization.name if a.organization else "",
            a.get_status_display(), a.get_visibility_display(), a.fee, _yes(a.is_free),
            a.audience, a.capacity, _yes(a.welcomes_newcomers), a.how_to_join,
            _yes(a.step_free), _yes(a.accessible_toilet), _yes(a.pick_up), a.contact_name,
            a.contact_phone, a.contact_email, _yes(a.contact_public),
            *([place.name, place.postal_code, place.address, place.latitude, place.longitude]
              if place else [""] * 5),
            "\n".join(s.in_words() for s in a.schedules.all()),
            a.last_confirmed.isoformat() if a.last_confirmed else "",
        ]  # fmt: skip


def _kind_labels(kinds: models.QuerySet[Kind]) -> dict[int, str]:
    """A kind by its name, or by its code where the name would not read back as that kind."""
    kinds_list = list(kinds)
    names = Counter((k.municipality_id, k.name) for k in kinds_list)
    return {
        k.pk: k.code
        if names[(k.municipality_id, k.name)] > 1 or KIND_SEPARATORS.search(k.name)
        else k.name
        for k in kinds_list
    }


def _yes(flag: bool) -> str:
    return YES if flag else NO


def write(rows: Iterable[list[Any]], fmt: str) -> bytes:
    """The header and rows as a file of format `fmt` (a key of FORMATS)."""
    if fmt == "xlsx":
        return write_xlsx(rows)
    return write_csv(rows, "cp932" if fmt == "cp932" else "utf-8-sig")


def write_xlsx(rows: Iterable[list[Any]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("活動")
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, c, Font(bold=True)) for c in COLUMNS])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any, font: Font | None = None) -> WriteOnlyCell:
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text, even when it starts with "=": never a formula
    if font is not None:
        cell.font = font
    return cell


def write_csv(rows: Iterable[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_csv_value(v) for v in row)
    text = buffer.getvalue()
    if encoding == "cp932":
        return text.translate(CP932_FIXES).encode("cp932", errors="replace")
    return text.encode(encoding)


def _csv_value(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
