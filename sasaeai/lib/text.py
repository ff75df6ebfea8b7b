"""Japanese text normalisation: the same function at index time and at query time."""

import re
import unicodedata

import jaconv

_LONG_VOWELS = re.compile(r"[ー〜～~‐－―-]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold width, case, katakana/hiragana and long-vowel variants.

    >>> normalize("ｻﾛﾝ　タカシマダイラ")
    'さろん たかしまだいら'
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = jaconv.kata2hira(folded)
    folded = _LONG_VOWELS.sub("ー", folded)
    return _SPACES.sub(" ", folded).strip()
