"""Free text from forms kept plain (no markup), error messages in plain words, and the 年度
field of the lists that can be narrowed to one."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fiscal import FIRST_YEAR, fiscal_year_of, year_label

# Text is always escaped on output; refusing markup as well keeps stored text plain and
# tells a person pasting something odd why it was not taken.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
NO_MARKUP = _("「<」で始まるタグ（HTMLなど）は使えません。ふつうの文章で書いてください。")
# Plain words for residents, many of them over 70.
PLAIN = {
    "required": _("ここを入れてください。"),
    "max_length": _("%(limit_value)d文字までで書いてください（いまは%(show_value)d文字です）。"),
    "invalid_choice": _("選びなおしてください。"),
    "invalid_pk_value": _("選びなおしてください。"),
}


def plain_text(value: str) -> str:
    """`value` stripped; a ValidationError (NO_MARKUP) when it holds a tag."""
    value = (value or "").strip()
    if MARKUP.search(value):
        raise ValidationError(NO_MARKUP)
    return value


def plain_fields(form: forms.BaseForm, data: dict[str, Any], *names: str) -> None:
    """In a form's clean(): each of the fields `names` in `data` as plain_text, or the error
    on that field. A field that already has an error is left as it is."""
    for name in names:
        if name in data and name not in form.errors:
            try:
                data[name] = plain_text(data[name])
            except ValidationError as error:
                form.add_error(name, error)


def fiscal_years(blank: bool = True) -> list[tuple[str, Any]]:
    """The 年度 a list can be narrowed to, this one first (a year not begun has no records);
    with `blank`, a choice of none first."""
    this_year = fiscal_year_of(timezone.localdate())
    years = [(str(y), year_label(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]
    return [("", _("指定しない")), *years] if blank else years


class FiscalYearField(forms.TypedChoiceField):
    """A 年度 (2025 for 2025年4月〜2026年3月), one of `fiscal_years`; optional unless
    `required`. The choices are read when the form is shown, so a new year appears on 1 April."""

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("年度"))
        super().__init__(
            choices=fiscal_years if not required else partial(fiscal_years, blank=False),
            coerce=int, empty_value=None, required=required,
            error_messages={
                "invalid_choice": _("年度は一覧から選んでください。"),
                "required": _("年度を選んでください。"),
            },
            **kwargs,
        )  # fmt: skip
