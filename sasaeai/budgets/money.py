"""Yen amounts as people type them: "1000", "1,000", "１，０００", "1000円", "¥1,000".

Only whole yen: "1,000.5" is refused, never rounded. No float is ever made.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Digits, optionally grouped by commas in threes.
_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")


class MoneyError(ValueError):
    pass


def parse_yen(text: str) -> int:
    """The integer yen in `text`, or MoneyError with a Japanese message."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    folded = folded.removeprefix("¥").removeprefix("\\").removesuffix("円")
    if not folded:
        raise MoneyError(_("金額を入力してください。"))
    if folded.startswith("-"):
        raise MoneyError(_("金額は0円より大きい数にしてください。"))
    if "." in folded:
        raise MoneyError(_("金額は1円単位の整数で入力してください（小数点は使えません）。"))
    if not (_PLAIN.fullmatch(folded) or _GROUPED.fullmatch(folded)):
        raise MoneyError(_("金額は数字で入力してください（例: 1000 または 1,000）。"))
    return int(folded.replace(",", ""))


class YenField(forms.CharField):
    """A text box for yen: accepts full-width digits and thousands separators."""

    def __init__(self, *, min_yen: int = 1, max_yen: int = 100_000_000, **kwargs: Any) -> None:
        self.min_yen, self.max_yen = min_yen, max_yen
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30}),
        )
        kwargs.setdefault("help_text", _("円単位の数字で入力してください（例: 12,000）。"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("金額が長すぎます。"), code="invalid")
        try:
            yen = parse_yen(text)
        except MoneyError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        if yen < self.min_yen:
            raise forms.ValidationError(
                _("金額は%(min)s円以上にしてください。") % {"min": f"{self.min_yen:,}"}
            )
        if yen > self.max_yen:
            raise forms.ValidationError(
                _("金額が大きすぎます。%(max)s円までにしてください。")
                % {"max": f"{self.max_yen:,}"}
            )
        return yen

    def prepare_value(self, value: Any) -> Any:
        return f"{value:,}" if isinstance(value, int) else value
