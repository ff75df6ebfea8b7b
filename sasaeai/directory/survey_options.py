"""The option lists of the national survey that activities record (主な活動内容, 運営主体,
活動場所): see shared/standards/mhlw-survey.md.

The lists change between editions of the survey's form, so they are data, not code: the ward
edits data/mhlw/options.csv (or the file `settings.SURVEY_OPTIONS_FILE` names) and restarts.
Activities store an option's code, never its label, so a label can be reworded without touching
the records; a code the file no longer lists is shown as itself and kept until someone chooses
another. 「その他」 is always there: the loader adds it when the file leaves it out.

The file is read once per process. A malformed one raises ImproperlyConfigured naming the line,
and the system check below reports the same at start-up (manage.py check, migrate, runserver).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "mhlw" / "options.csv"
HEADER = ["list", "code", "label"]
# Each list by its name in the file, with what people call it (the file format, not UI text).
LISTS = {"content": "主な活動内容", "operator": "運営主体", "venue": "活動場所の種類"}
# Which list each Activity field takes its codes from.
FIELDS = {"survey_content": "content", "operator": "operator", "venue_type": "venue"}
OTHER = ("other", "その他")
CODE_LENGTH = 20  # the Activity fields' max_length
CODE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class OptionList:
    options: dict[str, str]  # code → label, in the file's order
    index: dict[str, str]  # what a person may write (normalised) → code


def choices(list_name: str) -> list[tuple[str, str]]:
    """The list's options as (code, label), in the file's order, 「その他」 included."""
    return list(_lists()[list_name].options.items())


def label(list_name: str, code: str) -> str:
    """The option's label; a code the file does not list (any more) as itself, "" as ""."""
    return _lists()[list_name].options.get(code, code)


def find(list_name: str, text: str) -> str | None:
    """The code of what a person wrote: a code or a label, with full- or half-width letters,
    spaces and case as they come, or a label without its （…）; "" for nothing written, None
    when it names no option."""
    key = _key(text)
    if not key:
        return ""
    return _lists()[list_name].index.get(key)


def allowed(list_name: str) -> str:
    """The labels of the list, as a sentence lists them."""
    return "、".join(_lists()[list_name].options.values())


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _lists() -> dict[str, OptionList]:
    return load(Path(getattr(settings, "SURVEY_OPTIONS_FILE", DEFAULT_FILE)))


@functools.cache
def load(path: Path) -> dict[str, OptionList]:
    """Every list of the file; ImproperlyConfigured, naming the line, for a malformed one."""

    def fail(message: str, number: int | None = None) -> ImproperlyConfigured:
        where = f"{path}（{number} 行目）" if number else str(path)
        return ImproperlyConfigured(f"国の調査の選択肢のファイル {where}: {message}")

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise fail(f"読めません（{error.strerror}）。") from None
    except UnicodeDecodeError:
        raise fail("UTF-8 で保存してください。") from None
    options: dict[str, dict[str, str]] = {name: {} for name in LISTS}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if not header_seen:
            if cells != HEADER:
                raise fail(f"見出しの行は {','.join(HEADER)} にしてください。", number)
            header_seen = True
            continue
        _add(options, cells, functools.partial(fail, number=number))
    if not header_seen:
        raise fail(f"見出しの行（{','.join(HEADER)}）がありません。")
    for name, found in options.items():
        if not found:
            raise fail(f"{name}（{LISTS[name]}）の選択肢が1つもありません。")
        if OTHER[0] not in found:
            if any(_key(text) == _key(OTHER[1]) for text in found.values()):
                raise fail(f"{name} の「{OTHER[1]}」は code を {OTHER[0]} にしてください。")
            found[OTHER[0]] = OTHER[1]
    return {name: OptionList(found, _index(found)) for name, found in options.items()}


def _add(
    options: dict[str, dict[str, str]], cells: list[str], fail: Callable[[str], Exception]
) -> None:
    """One line of the file into `options`, or the reason it cannot be."""
    if len(cells) != len(HEADER):
        raise fail('list,code,label の 3 つを書いてください（label のコンマは "…" で囲みます）。')
    name, code, text = cells
    if name not in LISTS:
        raise fail(f"list「{name}」はありません。{'、'.join(LISTS)} のどれかにしてください。")
    if not CODE.fullmatch(code) or len(code) > CODE_LENGTH:
        raise fail(
            f"code「{code}」は使えません。半角の英小文字・数字と - か _ で、"
            f"{CODE_LENGTH} 文字までにしてください。"
        )
    if not text:
        raise fail(f"code「{code}」の label が空です。")
    found = options[name]
    if code in found:
        raise fail(f"{name} に code「{code}」が2つあります。")
    if any(_key(other) == _key(text) for other in found.values()):
        raise fail(f"{name} に label「{text}」が2つあります。")
    # A cell is read as a code before a label: neither may read as another option.
    if any(_key(text) == _key(c) or _key(code) == _key(t) for c, t in found.items()):
        raise fail(f"{name} の code「{code}」か label「{text}」が、ほかの選択肢と紛らわしいです。")
    found[code] = text


def _index(options: dict[str, str]) -> dict[str, str]:
    """What may be written for each option: its code, its label and, where no other option
    shares it, its label without the （…） (体操 for 体操（運動）). Codes win over labels."""
    shorts: dict[str, list[str]] = {}
    for code, text in options.items():
        short = _key(text).split("(")[0]
        if short and short != _key(text):
            shorts.setdefault(short, []).append(code)
    index = {short: codes[0] for short, codes in shorts.items() if len(codes) == 1}
    index |= {_key(text): code for code, text in options.items()}
    index |= {_key(code): code for code in options}
    return index


@checks.register()
def survey_options_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The option file can be read (so a malformed edit stops start-up, not a page)."""
    try:
        _lists()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="directory.E001")]
    return []
