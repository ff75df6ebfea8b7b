"""Words that mean the same in a municipality's search (麻雀 = マージャン, ウォーキング = 散歩).

Each municipality keeps its own list: data/synonyms/<its code>.csv (or the folder
`settings.SEARCH_SYNONYMS_DIR` names), one group of words a line, separated by commas; lines
starting with # are comments. A municipality without a file has no synonyms. A search for
one word of a group finds what holds any of them (search.query_tokens): the list is read at
query time, so an edit needs a restart, not a re-index.

Each file is read once per process. A malformed one raises ImproperlyConfigured naming the
line, and the system check below reports the same at start-up.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from sasaeai.lib.readings import has_kanji, reading
from sasaeai.lib.text import normalize

DEFAULT_DIR = Path(settings.BASE_DIR) / "data" / "synonyms"
MAX_WORD = 40


def synonyms(municipality_code: str) -> dict[str, tuple[str, ...]]:
    """Each word of the municipality's groups (normalised) → the other words of its group."""
    if not municipality_code:
        return {}
    return load(_folder() / f"{municipality_code}.csv")


def _folder() -> Path:
    return Path(getattr(settings, "SEARCH_SYNONYMS_DIR", DEFAULT_DIR))


@functools.cache
def load(path: Path) -> dict[str, tuple[str, ...]]:
    """The groups of the file (none if there is no file); ImproperlyConfigured, naming the
    line, for a malformed one."""

    def fail(message: str, number: int | None = None) -> ImproperlyConfigured:
        where = f"{path}（{number} 行目）" if number else str(path)
        return ImproperlyConfigured(f"検索の同義語のファイル {where}: {message}")

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise fail(f"読めません（{error.strerror}）。") from None
    except UnicodeDecodeError:
        raise fail("UTF-8 で保存してください。") from None
    found: dict[str, tuple[str, ...]] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        words = [normalize(cell) for cell in cells]
        if any(not word for word in words):
            raise fail("空の語があります。語をコンマで区切って書いてください。", number)
        if len(set(words)) < 2:
            raise fail("同じ意味の語を2つ以上、コンマで区切って書いてください。", number)
        for cell, word in zip(cells, words, strict=True):
            if len(word) > MAX_WORD:
                raise fail(f"「{cell}」が長すぎます（{MAX_WORD} 文字まで）。", number)
            if word in lines:
                again = f"「{cell}」は {lines[word]} 行目にもあります。"
                raise fail(again + "1つの行にまとめてください。", number)
        # A word in kanji stands for its reading too (散歩 for さんぽ).
        said = [normalize(reading(cell)) for cell in cells if has_kanji(cell)]
        group = list(dict.fromkeys([*words, *(word for word in said if word)]))
        for word in group:
            lines.setdefault(word, number)
            found[word] = tuple(w for w in group if w != word)
    return found


@checks.register()
def synonym_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every municipality's synonym file can be read (a malformed edit stops start-up)."""
    errors: list[checks.CheckMessage] = []
    for path in sorted(_folder().glob("*.csv")):
        try:
            load(path)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="directory.E002"))
    return errors
