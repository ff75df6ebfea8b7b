"""Import of existing cases (事例) from a workbook (.xlsx or CSV): one row per case, checked
row by row (lib/import_files.py reads the file), written as drafts through services.save_case
(history and audit as a case written by hand), each for its region's SC to read over and send
for review. Every good row, or — all or nothing — none when one row is bad; each bad row is
reported with its reasons in Japanese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib.forms import MARKUP
from sasaeai.lib.import_files import SourceRow, read_file
from sasaeai.lib.imports import ImportReport
from sasaeai.progress.models import Initiative, Stage

from . import lookups, services
from .models import TEXT_LIMIT, TITLE_LIMIT, Case, Question

MAX_ROWS = 2000
TITLE, AREA, DATE, STAGE, STARS = "題名", "地域", "いつの取組か", "段階", "★の問い"
THEMES, INITIATIVES = "テーマ", "取組み"
SECTIONS = {
    "きっかけ・課題": "background", "取組": "steps", "結果": "results",
    "工夫・ポイント": "tips", "今後の課題": "next_challenges",
}  # fmt: skip
COLUMNS = [TITLE, AREA, DATE, STAGE, STARS, *SECTIONS]
OPTIONAL = (THEMES, INITIATIVES)
ALL_COLUMNS = [*COLUMNS, *OPTIONAL]
SEPARATORS = ("、", ",", "，", "/", "／", "\n")


@dataclass
class RowResult:
    number: int
    name: str
    errors: list[str] = field(default_factory=list)
    case: Case | None = None
    questions: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    themes: list[Any] = field(default_factory=list)
    is_new: bool = True
    changed: bool = True

    @property
    def record_id(self) -> int | None:
        return self.case.pk if self.case is not None else None

    @property
    def ok(self) -> bool:
        return not self.errors


def read(data: bytes, name: str = "", *, max_rows: int | None = MAX_ROWS) -> list[SourceRow]:
    return read_file(data, name, columns=ALL_COLUMNS, max_rows=max_rows, optional=OPTIONAL)


def _items(text: str) -> list[str]:
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, SEPARATORS[0])
    return [item.strip() for item in text.split(SEPARATORS[0]) if item.strip()]


def _choices(text: str, choices: list[tuple[str, Any]], what: str, errors: list[str]) -> list[str]:
    """The values named in `text` (by label, by the label's part before "（", or by value)."""
    by_name: dict[str, str] = {}
    for value, label in choices:
        label = str(label)
        by_name |= {value: value, label: value, label.split("（")[0]: value,
                    label.split(" ")[-1]: value, label.replace(" ", ""): value}  # fmt: skip
    found = []
    for item in _items(text):
        value = by_name.get(item) or by_name.get(item.lstrip("★☆ ")) or ""
        if not value:
            errors.append(_("%(what)s「%(item)s」がありません。") % {"what": what, "item": item})
        else:
            found.append(value)
    return found


def _date(text: str) -> dt.date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def check(municipality: Area, by: Any, rows: list[SourceRow]) -> list[RowResult]:
    """Each row as a case ready to save, or with the reasons it is not."""
    writable = {a.code: a for a in lookups.writable_areas(by).filter(
        path__startswith=municipality.path)}  # fmt: skip
    names = {a.name: a for a in writable.values()}
    themes = {t.name: t for t in services.ensure_themes(municipality)}
    stages = [(str(value), label) for value, label in Stage.choices]
    results = []
    for row in rows:
        values = {k: (v or "").strip() for k, v in row.values.items()}
        title = values.get(TITLE, "")
        result = RowResult(row.number, title)
        errors = result.errors
        if not title:
            errors.append(_("題名がありません。"))
        elif len(title) > TITLE_LIMIT:
            errors.append(_("題名は%(n)s文字までです。") % {"n": TITLE_LIMIT})
        if any(MARKUP.search(values.get(c, "")) for c in (TITLE, *SECTIONS)):
            errors.append(_("HTML のタグは書けません。"))
        place = writable.get(values.get(AREA, "")) or names.get(values.get(AREA, ""))
        if place is None:
            errors.append(_("地域「%(a)s」の事例は書けません（地域の名前かコードを書いてください）。")
                          % {"a": values.get(AREA, "")})  # fmt: skip
        day = _date(values.get(DATE, ""))
        if day is None:
            errors.append(_("いつの取組かを 2026-06-01 のように書いてください。"))
        stage = _choices(values.get(STAGE, ""), stages, _("段階"), errors)
        if len(stage) != 1:
            errors.append(_("段階を1つ書いてください（1、2、3 または ①体制づくり など）。"))
        result.questions = _choices(values.get(STARS, ""), Question.choices, _("★の問い"), errors)
        if not result.questions and not any(_("★の問い") in e for e in errors):
            errors.append(_("★の問いを1つ以上書いてください。"))
        result.initiatives = _choices(values.get(INITIATIVES, ""), Initiative.choices,
                                      _("取組み"), errors)  # fmt: skip
        for name in _items(values.get(THEMES, "")):
            if name in themes:
                result.themes.append(themes[name])
            else:
                errors.append(_("テーマ「%(t)s」がありません。") % {"t": name})
        texts = {attr: values.get(column, "") for column, attr in SECTIONS.items()}
        for column, attr in SECTIONS.items():
            if len(texts[attr]) > TEXT_LIMIT:
                errors.append(_("%(c)sは%(n)s文字までです。") % {"c": column, "n": TEXT_LIMIT})
        if not errors and place is not None and day is not None:
            result.case = Case(area=place, title=title, happened_on=day, stage=int(stage[0]),
                               **texts)  # fmt: skip
        results.append(result)
    return results


def import_rows(
    municipality: Area, by: Any, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
) -> ImportReport[RowResult]:
    """Check every row; with `commit`, save the good rows as drafts in one transaction (none
    when `all_or_nothing` and a row is bad)."""
    results = check(municipality, by, rows)
    report = ImportReport(results)
    if not commit or not report.good or (all_or_nothing and report.bad):
        return report
    with transaction.atomic():
        for result in report.good:
            assert result.case is not None
            services.save_case(
                result.case, by=by, questions=result.questions, initiatives=result.initiatives,
                links_to={"themes": result.themes},
            )  # fmt: skip
    report.committed = True
    return report
