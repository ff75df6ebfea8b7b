"""Readings of Japanese text: each word written in kanji replaced by how it is read.

A morphological analyser does it, SudachiPy with SudachiDict's small dictionary (both
Apache-2.0, the dictionary shipped as a Python package: nothing to download at run time).
The small one, not core: core reads more words right (18 more of the demo's 160 names), but
its mapped dictionary adds 77 MB to a worker's resident memory where small adds 30 MB, and the
app worker's target is 150 MB (106 MB before); the place names both misread are corrected by
each municipality's synonym list anyway (directory/search_synonyms.py).
The dictionary is loaded once per process, on first use (0.05 s); each thread gets its own
tokenizer over it (a tokenizer is not safe to share).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from sudachipy import Dictionary, SplitMode

__all__ = ["Word", "has_kanji", "reading", "words"]

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
# Sudachi refuses input over about 49,000 bytes: longer text is read a piece at a time, cut
# after a sentence or line.
_PIECE = 4000
_CUTS = re.compile(r"(?<=[。！？\n])")

_lock = threading.Lock()
_dictionary: Any = None
_local = threading.local()


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


def reading(text: str) -> str:
    """The text with each word holding a kanji replaced by its reading (katakana, as the
    dictionary gives it: 犬の散歩 → イヌの散歩 → イヌのサンポ); "" for text without kanji.
    Words the dictionary does not know stay as they are written."""
    if not has_kanji(text):
        return ""
    tokenize = _tokenizer().tokenize
    out: list[str] = []
    for piece in _pieces(text):
        for morpheme in tokenize(piece):
            surface = morpheme.surface()
            said = "" if morpheme.is_oov() else morpheme.reading_form()
            out.append(said if said and has_kanji(surface) else surface)
    return "".join(out)


# (surface, reading in katakana, part of speech, unknown to the dictionary)
Word = tuple[str, str, tuple[str, ...], bool]


def words(text: str) -> list[Word]:
    """The text's words as the dictionary cuts them (ふりがな: lib/furigana.py)."""
    tokenize = _tokenizer().tokenize
    return [
        (m.surface(), m.reading_form(), tuple(m.part_of_speech()), m.is_oov())
        for piece in _pieces(text)
        for m in tokenize(piece)
    ]


def _pieces(text: str) -> list[str]:
    if len(text) <= _PIECE:
        return [text]
    pieces: list[str] = [""]
    for part in _CUTS.split(text):
        while len(part) > _PIECE:
            pieces += [part[:_PIECE], ""]
            part = part[_PIECE:]
        if len(pieces[-1]) + len(part) > _PIECE:
            pieces.append("")
        pieces[-1] += part
    return [piece for piece in pieces if piece]


def _tokenizer() -> Any:
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _load().tokenizer(mode=SplitMode.C)
    return tokenizer


def _load() -> Any:
    global _dictionary
    with _lock:
        if _dictionary is None:
            _dictionary = Dictionary(dict="small")
        return _dictionary
