"""The spreadsheet format of activities: its columns, and how each kind of cell is written.

The file-level rules (formats, formula quoting, the cp932 character fixes, yes/no cells) are in
sasaeai.lib.spreadsheets and sasaeai.lib.import_files: they hold for every spreadsheet the
project reads or writes. docs/import-format.md describes the same for people. Every value is
parsed from the form the export writes, so an export re-imports unchanged. A parser raises
ValueError with the reason in Japanese.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from . import survey_options
from .models import WEEKDAYS, Frequency

# The headers are the file format itself, so they are not translated.
COLUMNS = [
    "id", "地域コード", "活動名", "よみがな", "活動の内容", "種類", "運営団体",
    "状態", "公開範囲", "参加費", "無料", "対象", "定員", "初めての方歓迎", "参加のしかた",
    "段差なし", "トイレ", "送迎", "連絡先名", "電話", "メール", "連絡先公開",
    "場所名", "郵便番号", "住所", "緯度", "経度", "日程", "最終確認日",
    "主な活動内容", "運営主体", "活動場所の種類",
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
# The national survey's fields (survey_options), each written as an option's label or code.
SURVEY_FIELDS = {
    "主な活動内容": "survey_content", "運営主体": "operator", "活動場所の種類": "venue_type",
}  # fmt: skip
FIELD_COLUMNS = {
    **{f: c for c, f in TEXT_FIELDS.items()},
    **{f: c for c, f in FLAG_FIELDS.items()},
    **{f: c for c, f in SURVEY_FIELDS.items()},
    "capacity": "定員",
    "last_confirmed": "最終確認日",
}
KIND_SEPARATORS = re.compile(r"[、,，]")


# --- Schedules in words -------------------------------------------------------------------

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
    words = _plain(words).strip()
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


# --- Cells ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Full-width letters and digits as ASCII (NFKC), and the minus sign as a hyphen: a cp932
    file's －, which the import reads as −, then still separates a date or a time."""
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-")


def parse_choice(text: str, choices: type[models.TextChoices]) -> str | None:
    if not text:
        return None
    for value, label in choices.choices:
        if text == value or text in (words := str(label), words.split("（")[0]):
            return str(value)
    accepted = "、".join(str(label).split("（")[0] for label in choices.labels)
    raise ValueError(
        _("「%(text)s」は使えません。次のどれかにしてください: %(accepted)s")
        % {"text": text, "accepted": accepted}
    )


def parse_option(text: str, field: str, current: str = "") -> str:
    """The code of the survey option a cell names (by label or code) for the Activity field
    `field`; "" for an empty cell. `current`, the value the activity has, reads as itself even
    when the option file no longer lists it: the export writes such a code as it is."""
    list_name = survey_options.FIELDS[field]
    code = survey_options.find(list_name, text)
    if code is None and current and text == current:
        return current
    if code is None:
        raise ValueError(
            _("%(list)s「%(text)s」は選べません。選べるのは%(allowed)sです。")
            % {
                "list": survey_options.LISTS[list_name],
                "text": text,
                "allowed": survey_options.allowed(list_name),
            }
        )
    return code


def parse_count(text: str) -> int | None:
    text = _plain(text).removesuffix("人")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(_("0 以上の整数で書いてください。"))
    return int(text)


def parse_number(text: str, limit: int) -> float | None:
    if not text:
        return None
    try:
        number = float(_plain(text))
    except ValueError:
        raise ValueError(_("数で書いてください。")) from None
    if not -limit <= number <= limit:
        raise ValueError(
            _("-%(limit)s から %(limit)s までの数で書いてください。") % {"limit": limit}
        )
    return number


def parse_date(text: str) -> dt.date | None:
    text = _plain(text)
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
