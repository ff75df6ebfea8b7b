"""The know-how lists' filter form, drawn without the form templates.

The case list draws nine fields on every search, about 60 options. Through Django's templates
each option is two includes (`select_option.html`, `attrs.html`) and each field a trip through
the form renderer: two thirds of a search page that found nothing (issue 27, bench/README.md).
These widgets write the same HTML as Django's `select.html` and `input.html`, byte for byte
(whitespace too), in one loop over the choices, with the attributes Django's BoundField gives
them (`id`, `aria-invalid`, `aria-describedby`), so the page, its labels and its errors stay
as they were. `sasaeai.lib.widgets` does the same for the public search from Django's option
dicts (`get_context`); building those dicts is skipped here too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def attributes(attrs: dict[str, Any]) -> str:
    """As Django's attrs.html: False left out, True bare, anything else as its string."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class TextInput(forms.TextInput):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        shown = self.format_value(value)
        written = "" if shown is None else f' value="{conditional_escape(shown)}"'
        extra = attributes(self.build_attrs(self.attrs, attrs))
        return SafeString(
            f'<input type="{self.input_type}" name="{conditional_escape(name)}"{written}{extra}>'
        )


class Select(forms.Select):
    """One choice of a flat list (no groups: those are drawn by Django's template)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen = self.format_value(value)
        html = [f'<select name="{conditional_escape(name)}"'
                f"{attributes(self.build_attrs(self.attrs, attrs))}>"]  # fmt: skip
        found = False
        for option, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)  # type: ignore[no-any-return]
            text = "" if option is None else str(option)
            # As Django: the first option whose value was sent, and no other.
            selected = not found and text in chosen
            found = found or selected
            mark = " selected" if selected else ""
            html.append(f'\n  <option value="{conditional_escape(text)}"{mark}>'
                        f"{conditional_escape(str(label))}</option>\n")  # fmt: skip
        html.append("\n</select>")
        return SafeString("".join(html))
