"""Free text from forms kept plain (no markup), and error messages in plain words."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
