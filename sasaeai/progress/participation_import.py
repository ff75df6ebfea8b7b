"""Participants (参加者実人数) of a 年度 per activity from a table (.xlsx, or CSV in UTF-8 with or
without BOM, or cp932), read by sasaeai.lib.import_files and reported by lib.imports as every
import is. One file is for one area: a region, or a block or the municipality with each region
in it whose participants the person may enter.

Columns: id, 地域 (may be left out), 活動名, 基準の月 and the six counts of the participants
page. The template (`write`) lists the area's activities as the page does, with what is stored
now, so people fill in the numbers in Excel and a file sent back untouched changes nothing.

A row names its activity by id (with id empty, by its name within the area); the counts are
checked by the page's own form (ParticipationForm), so the file takes what the page takes. A
row whose counts are all empty leaves its activity as it is: removing figures is done on the
page, where the person sees what goes. 基準の月 is a month of the 年度, one for the rows of a
region, as on the page; left empty, the region's month (participation.page_month).

All or nothing, always, as the population import: a bad row (an activity unknown, outside the
area or the person's regions, or ended; a count that is not a number of 0 or more; parts over
the total; a month outside the 年度) or a closed 年度 gives each row its reasons, in Japanese,
and nothing is written. What is written is written by participation.save, so it is audited as
the page's saves are.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity
from sasaeai.lib import import_files
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.imports import ImportReport
from sasaeai.lib.spreadsheets import CP932_BACK, CP932_FIXES

from . import entry_lookups, lookups, participation
from .entry_forms import ParticipationForm, parse_month
from .models import Participation
from .participation import FIGURES, Listed, YearClosed

# The headers are the file format itself, so they are not translated; the counts are the
# page's labels, in the page's order.
ID, REGION, NAME, MONTH = "id", "地域", "活動名", "基準の月"
COUNTS = {
    "参加者実人数": "participants",
    "うち男性": "men",
    "うち女性": "women",
    "うち65〜74歳": "aged_65_74",
    "うち75歳以上": "aged_75_up",
    "1回あたり人数": "per_session",
}
assert list(COUNTS.values()) == FIGURES
COLUMNS = [ID, REGION, NAME, MONTH, *COUNTS]
OPTIONAL = (REGION,)  # only for people to read; a file without it is read the same
MAX_ROWS = 5_000
SHEET = "参加者数"


@dataclass
class RowResult:
    number: int
    name: str
    activity: Activity | None = None
    region: Area | None = None
    month: dt.date | None = None
    figures: dict[str, int | None] | None = None  # None: no counts, the activity stays as is
    stored: Participation | None = None
    is_new: bool = False
    changed: bool = False
    participation_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def record_id(self) -> int | None:
        return self.participation_id

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading and writing ----------------------------------------------------------------------


def read(data: bytes, name: str = "", *, max_rows: int | None = MAX_ROWS) -> list[SourceRow]:
    """The rows of a participants table; TransferError, its message in Japanese, when the file
    cannot be read. A file without 地域 reads as one with it empty."""
    rows = import_files.read_file(data, name, columns=COLUMNS, max_rows=max_rows, optional=OPTIONAL)
    for row in rows:
        row.values.setdefault(REGION, "")
    return rows


def write(fmt: str, regions: list[Area], year: int) -> bytes:
    """The template: a row for each activity the participants page of each region lists, with
    the figures stored now and the month they are of (the region's month where none is)."""
    listed = participation.listed_in(regions, year)
    rows = []
    for region in regions:
        month = participation.page_month(listed[region.pk], year)
        for row in listed[region.pk]:
            stored = row.current
            rows.append([
                row.activity.pk, region.name, row.activity.name,
                f"{stored.month if stored else month:%Y-%m}",
                *(getattr(stored, name) if stored else None for name in FIGURES),
            ])  # fmt: skip
    return import_files.write(rows, fmt, columns=COLUMNS, sheet=SHEET)


# --- Checking and saving ----------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _same_name(written: str, name: str) -> bool:
    """Whether a row's 活動名 is the activity's name, also as a cp932 file writes it (a
    character cp932 lacks becomes "?"), so that our own template reads back."""
    as_cp932 = name.translate(CP932_FIXES).encode("cp932", errors="replace").decode("cp932")
    return _key(written) in (_key(name), _key(as_cp932.translate(CP932_BACK)))


def _number(text: str) -> int:
    """The activity id a cell names, or 0: also for a number no id can be (past 64 bits, which
    PostgreSQL would refuse to compare)."""
    text = _key(text)
    return int(text) if text.isascii() and text.isdigit() and int(text) < 2**63 else 0


class _Targets:
    """What the rows are checked against, read once for the file: the activities listed for
    the regions the person may enter (the ones a row may give figures for) and, to say why a
    row names another, the municipality's activities it names that the person may see."""

    def __init__(
        self, area: Area, regions: list[Area], year: int, user: Any, rows: list[SourceRow]
    ) -> None:
        self.area, self.regions, self.year = area, regions, year
        self.listed = participation.listed_in(regions, year)
        self.by_id: dict[int, tuple[Listed, Area]] = {}
        self.by_name: dict[str, list[tuple[Listed, Area]]] = {}
        for region in regions:
            for row in self.listed[region.pk]:
                self.by_id[row.activity.pk] = (row, region)
                self.by_name.setdefault(_key(row.activity.name), []).append((row, region))
        named = {_number(r.values[ID]) for r in rows} - set(self.by_id) - {0}
        others = Activity.objects.of(area.municipality or area).filter(pk__in=named)
        if user is not None:
            others = access.scope(user, others, lookups.VIEW)
        self.others = {a.pk: a for a in others.select_related("area")}

    def find(self, values: dict[str, str]) -> tuple[tuple[Listed, Area] | None, str, str]:
        """The activity a row names and its region, or the column and reason it names none."""
        text, name = _key(values[ID]), values[NAME]
        if not text:
            if not name:
                return None, ID, _("id（または活動名）を書いてください。")
            found = self.by_name.get(_key(name), [])
            if len(found) > 1:
                return None, NAME, _("同じ名前の活動が複数あります。id を書いてください。")
            if not found:
                return None, NAME, _("「%(name)s」という活動は%(area)sにありません。") % {
                    "name": name, "area": self.area.name,
                }  # fmt: skip
            return found[0], "", ""
        pk = _number(text)
        if pk in self.by_id:
            listed = self.by_id[pk][0]
            if name and not _same_name(name, listed.activity.name):
                return None, NAME, _(
                    "id %(id)s の活動は「%(name)s」です。id と活動名が同じ活動か確かめてください。"
                ) % {"id": pk, "name": listed.activity.name}  # fmt: skip
            return self.by_id[pk], "", ""
        other = self.others.get(pk)
        if other is None:
            return None, ID, _("この番号（%(id)s）の活動は見つかりません。") % {"id": text}
        if not access.is_under(other.area.path, self.area.path):
            return None, ID, _(
                "この活動は%(area)sの活動ではありません（%(place)sの活動です）。"
            ) % {"area": self.area.name, "place": other.area.name}  # fmt: skip
        if any(access.is_under(other.area.path, r.path) for r in self.regions):
            return None, ID, _("終わった活動のため、数を入れられません。")
        return (
            None,
            ID,
            _("%(place)sの参加者数を入れる権限がありません。") % {"place": other.area.name},
        )


def check(targets: _Targets, rows: list[SourceRow]) -> list[RowResult]:
    """Every row's result: its activity, month and counts, or its reasons."""
    year = targets.year
    closed = entry_lookups.is_closed(targets.area, year)
    seen: dict[int, int] = {}  # activity id → the row that named it
    months: dict[int, tuple[dt.date, int]] = {}  # region id → the month of its first row
    results = []
    for row in rows:
        values = row.values
        result = RowResult(row.number, values[NAME] or values[ID])

        def fail(column: str, reason: str, result: RowResult = result) -> None:
            result.errors.append(f"{column}: {reason}" if column else reason)

        if closed:
            fail("", _("%(year)sは締められているため、取り込めません。")
                 % {"year": year_label(year)})  # fmt: skip
        found, column, reason = targets.find(values)
        if found is None:
            fail(column, reason)
        else:
            listed, region = found
            activity = listed.activity
            result.name, result.activity, result.region = activity.name, activity, region
            result.stored = listed.current
            if activity.pk in seen:
                fail(ID, _("同じ活動が %(row)s 行目にもあります。") % {"row": seen[activity.pk]})
            seen.setdefault(activity.pk, row.number)
            if values[REGION] and _key(values[REGION]) not in (_key(region.name), region.code):
                fail(REGION, _("この活動の地域は「%(region)s」です。") % {"region": region.name})
        form = ParticipationForm({name: values[column] for column, name in COUNTS.items()})
        if not form.is_valid():
            labels = {name: column for column, name in COUNTS.items()}
            for name, errors in form.errors.items():
                for error in errors:
                    fail(labels.get(name, ""), str(error))
        elif not form.is_empty():
            result.figures = {name: form.cleaned_data[name] for name in FIGURES}
        try:
            if values[MONTH]:
                result.month = parse_month(values[MONTH], year)
            elif result.region is not None:
                result.month = participation.page_month(targets.listed[result.region.pk], year)
        except ValueError as error:
            fail(MONTH, str(error))
        if result.region is not None and result.month and result.figures is not None:
            first = months.setdefault(result.region.pk, (result.month, row.number))
            if first[0] != result.month:
                fail(MONTH, _("同じ地域（%(region)s）の %(row)s 行目と月が違います（%(month)s）。"
                              "地域の活動はすべて同じ月にします。")
                     % {"region": result.region.name, "row": first[1],
                        "month": f"{first[0]:%Y-%m}"})  # fmt: skip
        _compare(result)
        results.append(result)
    return results


def _compare(result: RowResult) -> None:
    """Whether the row adds figures, changes them or leaves them as they are."""
    stored, figures = result.stored, result.figures
    if stored is not None:
        result.participation_id = stored.pk
    if figures is None or result.month is None:
        return
    result.is_new = stored is None
    result.changed = (
        stored is None
        or stored.month != result.month
        or any(getattr(stored, name) != value for name, value in figures.items())
    )


def import_rows(
    area: Area, regions: list[Area], year: int, rows: list[SourceRow], *, by: Any, commit: bool
) -> ImportReport[RowResult]:
    """Check every row against the activities of `regions` (those of `area` that `by` may
    enter; None for a command, which sees every activity of the municipality) and, if `commit`
    and every row is good, write the rows that change something in one transaction."""
    results = check(_Targets(area, regions, year, by, rows), rows)
    report = ImportReport(results)
    if not commit or not report.good or report.bad:
        return report
    writes: dict[int, tuple[Area, dt.date, dict[int, Any], dict[int, Participation]]] = {}
    for result in results:
        if result.changed and result.activity and result.region and result.month:
            # The rows of a region share their month (check), so the first row's is theirs.
            write = writes.setdefault(result.region.pk, (result.region, result.month, {}, {}))
            write[2][result.activity.pk] = result.figures
            if result.stored is not None:
                write[3][result.activity.pk] = result.stored
    try:
        with transaction.atomic():
            for region, month, figures, current in writes.values():
                participation.save(region, year, month, figures, current, by)
    except YearClosed:  # closed between the check and the write
        for result in results:
            result.errors.append(_("%(year)sは締められているため、取り込めません。")
                                 % {"year": year_label(year)})  # fmt: skip
        return report
    new = [r.activity.pk for r in results if r.is_new and r.activity]
    ids = dict(
        Participation.objects.filter(activity_id__in=new, fiscal_year=year).values_list(
            "activity_id", "pk"
        )
    )
    for result in results:
        if result.is_new and result.activity:
            result.participation_id = ids.get(result.activity.pk)
    report.committed = True
    return report
