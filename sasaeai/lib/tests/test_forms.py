"""Free text kept plain (lib/forms.py): markup refused in plain words, text stripped."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError

from sasaeai.lib.forms import PLAIN, plain_fields, plain_text


class Note(forms.Form):
    title = forms.CharField(max_length=5, error_messages=PLAIN)
    body = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "body")
        return data


def test_plain_text_is_stripped_and_markup_refused() -> None:
    assert plain_text("  こんにちは 1<2  ") == "こんにちは 1<2"
    assert plain_text(None) == ""  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as refused:
        plain_text("<script>alert(1)</script>")
    assert "タグ（HTMLなど）は使えません" in refused.value.messages[0]


def test_plain_fields_cleans_each_field_and_puts_the_error_next_to_it() -> None:
    form = Note({"title": " 会議 ", "body": "< b>太字"})
    assert not form.is_valid()
    assert form.errors["body"] == [
        "「<」で始まるタグ（HTMLなど）は使えません。ふつうの文章で書いてください。"
    ]
    assert form.cleaned_data["title"] == "会議"


def test_a_field_with_an_error_keeps_only_that_error_in_plain_words() -> None:
    form = Note({"title": "<b>長すぎる題", "body": ""})
    assert not form.is_valid()
    assert form.errors["title"] == ["5文字までで書いてください（いまは8文字です）。"]
