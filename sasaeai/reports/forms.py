"""The written sections of a report, and a comment on it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.forms import plain_fields

from .models import SECTIONS, TEXT_LIMIT

HELP = {
    "intro": _("地域と会議の紹介、この年度に大切にしたこと。"),
    "achievements": _("右の数字と記録から、この年度にできたこと。"),
    "issues": _("うまくいかなかったこと、足りないもの。"),
    "next_year": _("来年度にやってみたいこと。"),
}


class NarrativeForm(forms.Form):
    """The four sections the SC writes; each may be left empty while drafting."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SECTIONS:
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=TEXT_LIMIT, help_text=HELP[name],
                widget=forms.Textarea(attrs={"rows": 8}),
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, *(name for name, _label in SECTIONS))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("コメント"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "text")
        return data
