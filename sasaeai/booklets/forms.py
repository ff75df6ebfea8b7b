"""Forms of the booklet: a new edition's 年度, the council's texts, the activities it holds,
its コラム."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.directory.models import Activity
from sasaeai.lib.fiscal import fiscal_year_of, year_label
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.optimistic import Versioned

from .models import Column, Edition

TEXTS = ("title", "issued_by", "welcome", "contact", "back_cover")


class NewEditionForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = fiscal_year_of(timezone.localdate())
        years = [this_year + 1, this_year, this_year - 1]
        self.fields["fiscal_year"].choices = [(y, year_label(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["fiscal_year"].initial = this_year


class TextsForm(Versioned, forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["title", "issued_by", "issued_on", "welcome", "contact", "back_cover"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "welcome": forms.Textarea(attrs={"rows": 8}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "back_cover": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = dict.fromkeys(TEXTS, PLAIN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, *TEXTS)
        return data


class ActivityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.area.name}）"


class ChoiceForm(Versioned, forms.Form):
    """Which of the area's public activities the booklet holds (all, until some are left out);
    given the edition as `record=`, it carries the version read (lib/optimistic.py)."""

    included = ActivityChoice(
        label=_("載せる活動"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["included"].queryset = candidates  # type: ignore[attr-defined]


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = ["title", "body", "photo", "photo_caption", "position"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        error_messages = dict.fromkeys(("title", "body", "photo_caption"), PLAIN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "body", "photo_caption")
        return data


class EditionVersionForm(Versioned, forms.Form):
    """The version of the edition a page of several of its parts was read at (its columns):
    given the edition as `record=`."""


ColumnFormSet = forms.modelformset_factory(Column, form=ColumnForm, extra=1, can_delete=True)
