"""`{% ruby text reading %}`: the text with ふりがな for a visitor who asked for them.

Without the choice (the cookie `lib.furigana.COOKIE`, read by the context processor into
`furigana`) the tag gives the text as `{{ text }}` would, at no cost. With it, the text's
pieces get the readings `lib/furigana.py` is sure of, with the words the municipality knows
(`known_words`). It lives in core because those words come from several apps.
"""

from __future__ import annotations

import csv
import html
import threading
import time
from typing import Any

from django import template
from django.db.models import Q
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString

from sasaeai.areas.models import Area
from sasaeai.directory import search_synonyms
from sasaeai.directory.models import Activity, Kind, Organization
from sasaeai.lib import furigana

register = template.Library()

# How long a process keeps a municipality's known words: a new area, kind or activity name
# gets its reading from them within this time (until then, from the analyser or none).
SECONDS = 600.0
# Activity names read for their readings per municipality: enough for every town's name.
NAMES = 20_000

_NOTHING = furigana.Known()
_lock = threading.Lock()
_known: dict[int, tuple[float, furigana.Known]] = {}


@register.simple_tag(takes_context=True)
def ruby(context: template.Context, text: Any, reading: str = "") -> SafeString:
    if not context.get("furigana"):
        return conditional_escape("" if text is None else text)
    # A sentence built by blocktranslate asvar comes escaped: read it as the visitor does.
    said = "" if text is None else str(text)
    if isinstance(text, SafeData):
        said = html.unescape(said)
    municipality = context.get("municipality")
    known = known_words(municipality) if municipality is not None else _NOTHING
    return furigana.html(said, reading or "", known)


def known_words(municipality: Area) -> furigana.Known:
    """The municipality's words with a reading it knows, remembered for `SECONDS`."""
    now = time.monotonic()
    hit = _known.get(municipality.pk)
    if hit is not None and now - hit[0] < SECONDS:
        return hit[1]
    with _lock:
        hit = _known.get(municipality.pk)
        if hit is None or now - hit[0] >= SECONDS:
            hit = (now, furigana.Known.of(_pairs(municipality)))
            _known[municipality.pk] = hit
    return hit[1]


def forget() -> None:
    """Forget every municipality's known words (tests, or after loading new ones)."""
    _known.clear()


def _pairs(municipality: Area) -> list[tuple[str, str]]:
    areas = Area.objects.filter(Q(pk=municipality.pk) | Q(municipality=municipality))
    named = [
        *areas.exclude(kana="").values_list("name", "kana"),
        *Kind.objects.of(municipality).exclude(kana="").values_list("name", "kana"),
        *Organization.objects.filter(municipality=municipality)
        .exclude(kana="")
        .values_list("name", "kana"),
        *Activity.objects.of(municipality)
        .public()
        .exclude(kana="")
        .order_by("-pk")
        .values_list("name", "kana")[:NAMES],
    ]
    return [*named, *_synonym_readings(municipality.code)]


def _synonym_readings(code: str) -> list[tuple[str, str]]:
    """The synonym list's words in kanji next to a word in hiragana only: that is how the
    list corrects the dictionary's reading of a place name (大山,おおやま). A word in katakana
    is a synonym, not a reading (散歩,ウォーキング)."""
    path = search_synonyms._folder() / f"{code}.csv"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    pairs = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        kana = [cell for cell in cells if furigana.is_hiragana(cell)]
        if len(kana) == 1:
            pairs += [(cell, kana[0]) for cell in cells if furigana.has_kanji(cell)]
    return pairs
