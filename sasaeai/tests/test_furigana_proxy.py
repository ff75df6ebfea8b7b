"""The real nginx in front (deploy/nginx/): a page with ふりがな is never handed to a visitor
who did not ask for them, nor a plain one to a visitor who did; each is still cached."""

from __future__ import annotations

import pytest

from sasaeai.core.templatetags import furigana_tags
from sasaeai.test import load_itabashi

from .test_proxy_cache import get, hit, proxy

pytestmark = pytest.mark.proxy
__all__ = ["proxy"]  # the fixture, used by name

ON = "sasaeai_furigana=on"


def test_copies_with_and_without_furigana_are_kept_apart(proxy: str) -> None:
    furigana_tags.forget()
    load_itabashi()
    for _ in range(3):  # interleaved, within the same half seconds
        assert b"<ruby>" not in get(f"{proxy}/")[2]
        assert b"<ruby>" in get(f"{proxy}/", Cookie=ON)[2]
        both = get(f"{proxy}/", Cookie=f"sasaeai_text=large; {ON}")[2]
        assert b"<ruby>" in both and b'class="text-large furigana"' in both
        assert b"<ruby>" not in get(f"{proxy}/", Cookie="sasaeai_text=large")[2]
    assert hit(f"{proxy}/", Cookie=ON)
    assert hit(f"{proxy}/")
