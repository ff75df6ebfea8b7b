"""The written sections of a report, and a comment on it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.councils.models import MeetingPhoto
from sasaeai.lib.forms import plain_fields
from sasaeai.lib.optimistic import Versioned

from .models import PHOTO_LIMIT, SECTIONS, TEXT_LIMIT

HELP = {
    "intro": _("地域と会議の紹介、この年度に大切にしたこと。"),
    "achievements": _("右の数字と記録から、この年度にできたこと。"),
    "issues": _("うまくいかなかったこと、足りないもの。"),
    "next_year": _("来年度にやってみたいこと。"),
}


class NarrativeForm(Versioned):
    """The four sections the SC writes; each may be left empty while drafting. Given the
    report (`record=`, unsaved when not begun) it carries the version read."""

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


class PhotoChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.caption or str(_("（説明なし）"))


class PhotoChoiceForm(forms.Form):
    """Which of the year's minutes' photos go into the report (none until ticked)."""

    photos = PhotoChoiceField(
        label=_("報告に載せる写真"), queryset=MeetingPhoto.objects.none(), required=False,
        help_text=_("この年度の議事録の写真から選びます（%(n)s枚まで）。") % {"n": PHOTO_LIMIT},
    )  # fmt: skip

    def __init__(self, *args: Any, choices: QuerySet[MeetingPhoto], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = choices  # type: ignore[attr-defined]
        self.choices = list(choices)

    def clean_photos(self) -> Any:
        chosen = self.cleaned_data["photos"]
        if len(chosen) > PHOTO_LIMIT:
            raise forms.ValidationError(_("写真は%(n)s枚まで選べます。") % {"n": PHOTO_LIMIT})
        return chosen
