"""Forms of surveys: building one (staff), answering one (residents, and staff typing in
paper answers), and choosing the kind when a free-text answer becomes a need."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib import honeypot
from sasaeai.lib.forms import PLAIN, FiscalYearField, plain_text
from sasaeai.lib.optimistic import Versioned
from sasaeai.needs.forms import KindChoiceField
from sasaeai.needs.models import NeedKind

from .models import Question, QuestionKind, Survey

MAX_CHOICES = 10
ANSWER_LENGTH = 1000


class SurveyForm(Versioned, forms.ModelForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())

    class Meta:
        model = Survey
        fields = ["area", "title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("例: 地域の困りごとについてのアンケート"),
            "intro": _(
                "回答する人が最初に読む文です。やさしい言葉で、何のためのアンケートかを書きます。"
            ),
        }  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return plain_text(self.cleaned_data.get("title", ""))

    def clean_intro(self) -> str:
        return plain_text(self.cleaned_data.get("intro", ""))


# How a 年度 reads (figures.py: `held`, `answered`); the first is what a year alone means.
IN_YEAR_CHOICES = [
    ("held", _("年度中に回答の受付を始めたアンケート")),
    ("answered", _("年度中に回答が届いたアンケート")),
]


class FilterForm(forms.Form):
    """The survey list: of an area, and of a 年度 (its answers then counted within it)."""

    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField()
    in_year = forms.ChoiceField(
        label=_("年度で見るアンケート"), required=False, choices=IN_YEAR_CHOICES,
        help_text=_("「年度」を選んだときに使います。回答の数は、その年度中に届いたものです。"),
        error_messages={"invalid_choice": _("年度で見るアンケートは一覧から選んでください。")},
    )  # fmt: skip

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


class QuestionForm(Versioned, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "required", "choices", "low_label", "high_label"]
        widgets = {
            "kind": forms.RadioSelect,
            "choices": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "choices": _(
                "「1つだけ選ぶ」「いくつでも選ぶ」のとき、1行に1つずつ書きます（2〜10個）。"
            ),
            "low_label": _("5段階のときだけ使います。"),
            "high_label": _("5段階のときだけ使います。"),
        }  # fmt: skip

    def clean_text(self) -> str:
        return plain_text(self.cleaned_data.get("text", ""))

    def clean_low_label(self) -> str:
        return plain_text(self.cleaned_data.get("low_label", ""))

    def clean_high_label(self) -> str:
        return plain_text(self.cleaned_data.get("high_label", ""))

    def clean_choices(self) -> str:
        lines = [
            line.strip() for line in plain_text(self.cleaned_data.get("choices", "")).splitlines()
        ]
        return "\n".join(line for line in lines if line)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [c for c in (data.get("choices") or "").splitlines() if c]
            if "choices" in self.errors:
                pass
            elif not 2 <= len(choices) <= MAX_CHOICES:
                self.add_error("choices", _("選択肢を2〜10個、1行に1つずつ書いてください。"))
            elif len(set(choices)) < len(choices):
                self.add_error("choices", _("同じ選択肢が2回あります。"))
            elif any(len(c) > 60 for c in choices):
                self.add_error("choices", _("選択肢は1つ60文字までにしてください。"))
        elif data.get("kind") is not None:
            data["choices"] = ""
        return data


class AnswerForm(forms.Form):
    """The questions of one survey as fields named q<pk>, in plain words for residents.

    The same form takes paper answers from staff (without the hidden bot trap).
    """

    def __init__(self, *args: Any, questions: list[Question], public: bool = True, **kw: Any):
        super().__init__(*args, **kw)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = self.field_for(question)
        if public:
            self.fields[honeypot.FIELD] = honeypot.field()

    @staticmethod
    def field_for(question: Question) -> forms.Field:
        options: dict[str, Any] = {"label": question.text, "required": question.required}
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                **options, max_length=ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={**PLAIN, "required": _("ここを書いてください。")},
            )  # fmt: skip
        if question.kind == QuestionKind.SCALE:
            choices = [(str(v), question.scale_label(v)) for v in range(1, 6)]
        else:
            choices = [(str(i), label) for i, label in enumerate(question.choice_list)]
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                **options, choices=choices, widget=forms.CheckboxSelectMultiple,
                error_messages={**PLAIN, "required": _("あてはまるものを選んでください。"),
                                "invalid_list": _("選びなおしてください。")},
            )  # fmt: skip
        return forms.ChoiceField(
            **options, choices=choices, widget=forms.RadioSelect,
            error_messages={**PLAIN, "required": _("1つ選んでください。")},
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        honeypot.refuse_if_filled(data.get(honeypot.FIELD))
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT and name in data:
                try:
                    data[name] = plain_text(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def values(self) -> dict[Question, Any]:
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[f"q{q.pk}"]) for q in self.questions]


class NeedFromAnswerForm(forms.Form):
    kind = KindChoiceField(
        label=_("困りごとの種類"), queryset=NeedKind.objects.none(), empty_label=_("選んでください")
    )

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["kind"].queryset = NeedKind.objects.of(municipality)  # type: ignore[attr-defined]
