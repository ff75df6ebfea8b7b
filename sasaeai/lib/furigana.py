"""ふりがな: readings shown above the kanji of public pages (<ruby>), for those who ask.

Where the reading comes from, surest first:
1. a reading typed for the whole text (an activity's よみがな): it is aligned with the text —
   kana stay as they are, each run of kanji gets the part of the reading between them — and
   where the alignment is not certain, the whole reading goes over the whole text;
2. the municipality's known words (`Known`: area names with their よみがな, the readings its
   synonym list gives in hiragana, readings aligned from activities' names);
3. the morphological analyser that makes the search's readings (`lib/readings.py`), only for
   words it reads reliably: never a proper noun (大山 is だいせん to it, おおやま in Itabashi),
   a number or a counter after one (2本, 30分), a lone weekday kanji (月・木), a word ending
   in 町, or a word it does not know. A word left out has no ruby: none rather than wrong.

Rendering the same text again costs a dictionary lookup: results are kept per process
(`_cached`, bounded), keyed by the text, its reading and the known words' version.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jaconv
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import readings

__all__ = ["COOKIE", "Known", "has_kanji", "hiragana", "html", "is_hiragana", "segments"]

# The visitor's choice, read by the server (and by the proxy's cache key) only.
COOKIE = "sasaeai_furigana"

Segment = tuple[str, str]  # (text, its reading in hiragana or "" for none)

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_KANA = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30feｦ-ﾟ]")
_WEEKDAYS = frozenset("月火水木金土日")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
# The longest a reading of one character may be (承 is うけたまわ; NPO's letters take two).
_PER_CHAR = 6
CACHE_SIZE = 8192


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


def is_hiragana(text: str) -> bool:
    """Hiragana only (with ー, ・ and spaces), as readings are typed."""
    return _KANA_ONLY.fullmatch(text) is not None


def hiragana(text: str) -> str:
    return str(jaconv.kata2hira(unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True, eq=False)
class Known:
    """Words whose reading the municipality knows (hiragana), matched longest first."""

    words: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def longest(self) -> int:
        return max(map(len, self.words), default=0)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Known:
        """Known words from (text, reading) pairs: each whole text, and each run of kanji in it
        that its reading aligns with for certain (板橋ブロック/いたばしぶろっく gives 板橋).
        A word given two different readings is left out."""
        found: dict[str, str] = {}
        clash: set[str] = set()

        def add(word: str, said: str) -> None:
            if not _KANJI.search(word) or not said or _KANJI.search(said):
                return
            if found.setdefault(word, said) != said:
                clash.add(word)

        for text, said in pairs:
            text, said = text.strip(), hiragana(said.strip())
            if not text or not said or not _KANA_ONLY.fullmatch(said):
                continue
            add(text, said)
            for part, reading in _align(text, said, fine=None) or ():
                if reading and len(part) >= 2:
                    add(part, reading)
        return cls({word: said for word, said in found.items() if word not in clash})


_KANA_ONLY = re.compile(r"[\u3041-\u3096ー・\s]+")
_EMPTY = Known()


def segments(text: str, reading: str = "", known: Known = _EMPTY) -> tuple[Segment, ...]:
    """The text cut into pieces, each with its reading where one is certain."""
    return _cached(text, reading, known)


def html(text: str, reading: str = "", known: Known = _EMPTY) -> SafeString:
    """The text, escaped, with <ruby> over the pieces that have a certain reading."""
    return _html(text, reading, known)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _html(text: str, reading: str, known: Known) -> SafeString:
    out = []
    for part, said in _cached(text, reading, known):
        if said:
            # <rp>: a browser without ruby shows 漢字（かんじ）.
            out.append(f"<ruby>{escape(part)}<rp>（</rp><rt>{escape(said)}</rt><rp>）</rp></ruby>")
        else:
            out.append(str(escape(part)))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@functools.lru_cache(maxsize=CACHE_SIZE)
def _cached(text: str, reading: str, known: Known) -> tuple[Segment, ...]:
    if not text or not _KANJI.search(text):
        return ((text, ""),) if text else ()
    said = hiragana(reading.strip())
    if said and _KANA_ONLY.fullmatch(said):
        aligned = (
            _align(text, said, fine=known)
            or _align(text, said, fine=known, analyser=False)
            or _align(text, said, fine=None)
        )
        if aligned is not None:
            return _merge(aligned)
        return ((text, said),)  # known only for the whole name: over the whole name
    return _merge(_analyse(text, known))


def _merge(parts: Iterable[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part, said in parts:
        if not part:
            continue
        if not _KANJI.search(part):
            said = ""
        if out and not said and not out[-1][1]:
            out[-1] = (out[-1][0] + part, "")
        else:
            out.append((part, said))
    return tuple(out)


# --- alignment of a text with its reading ---------------------------------------------------

LITERAL, WILD = 0, 1


@dataclass(frozen=True)
class _Piece:
    kind: int
    text: str
    said: str = ""  # what a literal (or optional) piece reads as


def _runs(text: str) -> list[tuple[str, str]]:
    """The text in runs of kana ("kana"), of symbols and spaces ("symbol") and of the rest:
    kanji, letters and digits ("other")."""
    runs: list[tuple[str, str]] = []
    for char in text:
        if _KANJI.match(char):
            kind = "other"
        elif _KANA.match(char):
            kind = "kana"
        elif unicodedata.category(char)[0] in "PZSC":
            kind = "symbol"
        else:
            kind = "other"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _align(text: str, said: str, fine: Known | None, analyser: bool = True) -> list[Segment] | None:
    """The text's pieces with their part of `said`, if exactly one way fits; else None.
    With `fine`, each run of kanji is first cut into known words (and, with `analyser`, the
    analyser's words), each of which must then read as it says (a wrong reading finds no
    fit); the rest of the run is free."""
    pieces: list[_Piece] = []
    target = "".join(said.split())
    for kind, run in _runs(text):
        if kind == "kana":
            pieces.append(_Piece(LITERAL, run, hiragana(run)))
        elif kind == "symbol":
            # A mark the reading repeats (・) must be there; spaces and others it leaves out.
            mark = "".join(hiragana(run).split())
            pieces.append(_Piece(LITERAL, run, mark if mark and mark in target else ""))
        elif fine is None:
            pieces.append(_Piece(WILD, run))
        else:
            for part, reading in _analyse(run, fine, analyser):
                if not part:
                    continue
                if reading or _KANA.fullmatch(part):
                    pieces.append(_Piece(LITERAL, part, reading or hiragana(part)))
                elif pieces and pieces[-1].kind == WILD:
                    pieces[-1] = _Piece(WILD, pieces[-1].text + part)
                else:
                    pieces.append(_Piece(WILD, part))
    found = _solve(tuple(pieces), target)
    if found is None:
        return None
    return [
        (piece.text, part if _KANJI.search(piece.text) else "")
        for piece, part in zip(pieces, found, strict=True)
    ]


def _solve(pieces: tuple[_Piece, ...], target: str) -> list[str] | None:
    """Each piece's part of `target` when exactly one assignment fits."""

    @functools.cache
    def ways(index: int, at: int) -> int:  # how many fits from here (0, 1 or 2: "many")
        if index == len(pieces):
            return 1 if at == len(target) else 0
        total = 0
        for end in _ends(pieces[index], target, at):
            total += ways(index + 1, end)
            if total > 1:
                return 2
        return total

    if ways(0, 0) != 1:
        return None
    parts: list[str] = []
    at = 0
    for index, piece in enumerate(pieces):
        end = next(e for e in _ends(piece, target, at) if ways(index + 1, e) == 1)
        parts.append(target[at:end])
        at = end
    return parts


def _ends(piece: _Piece, target: str, at: int) -> list[int]:
    if piece.kind == WILD:
        longest = min(len(target), at + _PER_CHAR * len(piece.text))
        return list(range(at + 1, longest + 1))
    return [at + len(piece.said)] if target.startswith(piece.said, at) else []


# --- reading free text ------------------------------------------------------------------------


def _analyse(text: str, known: Known, analyser: bool = True) -> list[Segment]:
    """The text in pieces: known words with their reading, the analyser's reliable words
    (kana beside the kanji left out of the ruby: 楽しむ → 楽(たの)しむ), the rest plain."""
    out: list[Segment] = []
    gap_start = 0
    at = 0
    while at < len(text):
        word = _known_at(text, at, known) if _KANJI.match(text[at]) else ""
        if not word:
            at += 1
            continue
        out += _analysed(text[gap_start:at]) if analyser else [(text[gap_start:at], "")]
        said = known.words[word]
        out += _align(word, said, fine=_EMPTY) or _okurigana(word, said)
        at = gap_start = at + len(word)
    out += _analysed(text[gap_start:]) if analyser else [(text[gap_start:], "")]
    return out


def _known_at(text: str, at: int, known: Known) -> str:
    for length in range(min(known.longest, len(text) - at), 1, -1):
        if text[at : at + length] in known.words:
            return text[at : at + length]
    return text[at] if text[at] in known.words else ""


def _analysed(text: str) -> list[Segment]:
    if not _KANJI.search(text):
        return [(text, "")]
    words = readings.words(text)
    out: list[Segment] = []
    for index, (surface, said, kind, unknown) in enumerate(words):
        before = words[index - 1] if index else None
        after = words[index + 1] if index + 1 < len(words) else None
        if not _KANJI.search(surface) or not _reliable(surface, kind, unknown, before, after):
            out.append((surface, ""))
            continue
        said = "かた" if surface == "方" else hiragana(said)
        out += _okurigana(surface, said)
    return out


def _reliable(
    surface: str,
    kind: Sequence[str],
    unknown: bool,
    before: readings.Word | None,
    after: readings.Word | None,
) -> bool:
    if (
        unknown
        or kind[1] in ("固有名詞", "数詞")
        or not all(
            _KANJI.match(c) or _HIRAGANA.match(c) or c in "ー" or _KANA.match(c) for c in surface
        )
    ):
        return False
    if before is not None and (before[2][1] == "数詞" or before[0][-1:].isdigit()):
        return False  # a counter: 2本 is にほん, 30分 さんじゅっぷん
    if surface in _WEEKDAYS and not (after and _HIRAGANA.match(after[0][0])):
        return False  # 月・木, （土）: a weekday, not the moon or a tree
    if surface == "方" and after is not None and after[0].startswith("が"):
        return False  # こちらの方が: ほう, not かた
    return not (len(surface) > 1 and surface.endswith("町"))  # まち or ちょう: a place's own


def _okurigana(word: str, said: str) -> list[Segment]:
    """A word's reading moved over its kanji only (見守る → 見守(みまも)る) when certain."""
    if not _KANA.search(word):
        return [(word, said)]
    return _align(word, said, fine=None) or [(word, said)]
