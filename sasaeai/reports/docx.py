"""The report as a Word document (.docx, python-docx), for the SC who edits it further or
pastes it into the ward's own format: the same sections and facts as the PDF, as headings,
paragraphs and tables Word styles itself. The type is BIZ UDGothic where Word has it."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm

from .document import Document

FONT = "BIZ UDGothic"

log = logging.getLogger(__name__)


def docx_of(doc: Document) -> bytes:
    word = new_docx()
    _font(word)
    word.core_properties.title = doc.title
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.state)
    _chapter(word, doc)
    for region in doc.regions:
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(region.area.name, level=1)
        word.add_paragraph(region.state)
        _chapter(word, region, level=2)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _font(word: Any) -> None:
    """Japanese text in the document's font: Word takes East Asian type from its own key."""
    style = word.styles["Normal"]
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _chapter(word: Any, doc: Document, level: int = 1) -> None:
    for _name, heading, text in doc.sections():
        word.add_heading(heading, level=level)
        for paragraph in (text or _("（まだ書かれていません）")).splitlines():
            if paragraph.strip():
                word.add_paragraph(paragraph)
    _photos(word, doc, level)
    _facts(word, doc.data, level)


def _photos(word: Any, doc: Document, level: int) -> None:
    """The chosen photos, each 12 cm wide at most (A4 less its margins), with its caption; a
    file that cannot be read is left out with a note."""
    if not doc.data.get("photos"):
        return
    word.add_heading(_("活動の様子（写真）"), level=level)
    for picture in doc.pictures:
        if picture.content is None:
            continue
        try:
            word.add_picture(io.BytesIO(picture.content), width=Cm(12))
        except Exception:
            log.warning("report photo left out of the .docx: unreadable image")
            continue
        where = f"{picture.meeting}（{picture.date}）"
        word.add_paragraph(f"{picture.caption} ／ {where}" if picture.caption else where)
    if doc.pictures_missing:
        word.add_paragraph(
            _("写真%(n)s枚のファイルが見つからないため、載せていません。")
            % {"n": doc.pictures_missing}
        )


def _facts(word: Any, d: dict[str, Any], level: int) -> None:
    if d.get("empty"):
        word.add_paragraph(_("%(year)sの記録は、まだありません。") % {"year": d["year_label"]})
    council = d.get("council")
    word.add_heading(_("支え合い会議の紹介"), level=level)
    if council:
        _table(word, [_("項目"), _("内容")], [
            [_("会議の名前"), council["name"]],
            [_("発足"), council["started_on"] or "—"],
            [_("開催"), council["frequency"] or "—"],
            [_("会場"), council["venue"] or "—"],
            [_("メンバー（年度末）"), f"{council['members']}人"],
            *[[s["label"], f"{s['count']}人"] for s in council["sectors"]],
        ])  # fmt: skip
    else:
        word.add_paragraph(_("この地域の支え合い会議は記録されていません。"))
    word.add_heading(_("開いた会議"), level=level)
    if d.get("meetings"):
        rows = [[m["title"], m["date"], "、".join(m["topics"]) or "—",
                 "—" if m["attendance"] is None else f"{m['attendance']}人"]
                for m in d["meetings"]]  # fmt: skip
        _table(word, [_("回"), _("開催日"), _("話し合ったこと"), _("参加")], rows)
    else:
        word.add_paragraph(_("この年度に開いた会議の記録はありません。"))
    if d.get("initiatives"):
        word.add_heading(_("3つの取組みごとの話題と決まったこと"), level=level)
        for group in d["initiatives"]:
            word.add_heading(group["label"], level=level + 1)
            for topic in group["topics"]:
                line = f"{topic['title']}（{topic['meeting']} {topic['date']}）"
                word.add_paragraph(line, style="List Bullet")
            for text in group["decisions"]:
                decided = _("決まったこと: %(text)s") % {"text": text}
                word.add_paragraph(decided, style="List Bullet")
    if d["area"]["kind"] == "region":
        word.add_heading(_("山登り：目標と通過点"), level=level)
        for goal in d.get("goals", []):
            word.add_heading(goal["title"], level=level + 1)
            word.add_paragraph(f"{goal['status_label']} ／ {goal['stage_label']} ／ "
                               f"{goal['initiative_label']}")  # fmt: skip
            for m in goal["milestones"]:
                done = _("（%(day)s 達成）") % {"day": m["reached_on"]} if m["reached_on"] else ""
                word.add_paragraph(m["title"] + done, style="List Bullet")
        if not d.get("goals"):
            word.add_paragraph(_("この年度の目標は記録されていません。"))
    word.add_heading(_("数字（前の年度とならべて）"), level=level)
    rows = [[f["group"], f["label"], _value(f["last"], f["unit"]), _value(f["this"], f["unit"])]
            for f in d["figures"] if not f["part"]]  # fmt: skip
    rate = d.get("rate", {})
    rows.append([_("参加率"), _("65歳以上のうち参加している人の割合"),
                 _value(rate.get("last"), "%"), _value(rate.get("this"), "%")])  # fmt: skip
    _table(word, [_("分野"), _("数字"), d["last_label"], d["year_label"]], rows)
    word.add_heading(_("運営費の精算"), level=level)
    money = d.get("settlement", {})
    if money.get("budget"):
        _table(word, [_("予算"), _("使った額"), _("残り")], [[
            _value(money["budget"], "円"), _value(money["spent"], "円"),
            _value(money["left"], "円"),
        ]])  # fmt: skip
    else:
        word.add_paragraph(_("この年度の運営費の記録はありません。"))
    if d.get("regions") or d.get("regions_missing"):
        word.add_heading(_("地域の報告（承認済み）"), level=level)
        rows = [[r["name"], f"第{r['number']}版", r["approved_on"]] for r in d["regions"]]
        _table(word, [_("地域"), _("版"), _("承認した日")], rows)
        if d.get("regions_missing"):
            word.add_paragraph(_("まだ承認されていない地域: ") + "、".join(d["regions_missing"]))


def _value(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value:,}{unit}"


def _table(word: Any, head: list[str], rows: list[list[str]]) -> None:
    table = word.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
