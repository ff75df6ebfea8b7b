"""Widgets that write their HTML in Python instead of through the form templates.

The public search form is drawn on every search; Django's templates render each <option>
through two template includes, which was half the time of a search page. These widgets
give the same HTML as Django's own templates (`django/forms/widgets/*.html`), from the
same `get_context`, so attributes, ids, `checked` and `selected` behave as usual.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString


def attributes(attrs: dict[str, Any]) -> str:
    """` name="value"` pairs as Django's attrs.html writes them: True bare, False/None left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _input(widget: dict[str, Any]) -> SafeString:
    attrs = {"type": widget["type"], "name": widget["name"], "value": widget["value"]}
    return SafeString(f"<input{attributes({**attrs, **widget['attrs']})}>")


class HiddenInput(forms.HiddenInput):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return _input(self.get_context(name, value, attrs)["widget"])


class CheckboxInput(forms.CheckboxInput):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return _input(self.get_context(name, value, attrs)["widget"])


class Select(forms.Select):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f"<select{attributes({'name': name, **widget['attrs']})}>"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'<optgroup label="{escape(str(group_name))}">')
            for option in options:
                attrs = attributes({"value": str(option["value"]), **option["attrs"]})
                html.append(f"<option{attrs}>{escape(str(option['label']))}</option>")
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return SafeString("".join(html))
