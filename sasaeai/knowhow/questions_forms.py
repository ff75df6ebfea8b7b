"""Asking a question, answering it (citing cases), hiding one, following tags, and the list's
search and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.directory.models import Kind
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.optimistic import Versioned
from sasaeai.progress.models import Stage

from .forms import offered_themes
from .models import Answer, AskedQuestion, Case, Question, Theme

WHOLE = "whole"


class QuestionForm(Versioned, forms.ModelForm):
    """A question's words and tags; `blocks` are those the asker may open a joint review to
    (none: the question is for the whole municipality). It carries the version it was read
    at (lib/optimistic.py)."""

    stars = forms.MultipleChoiceField(
        label=_("どの★の問いについての質問ですか"), choices=Question.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={**PLAIN, "required": _("★の問いを1つ以上選んでください。")},
    )  # fmt: skip
    scope = forms.ChoiceField(
        label=_("だれに聞きますか"), required=False, widget=forms.RadioSelect,
        help_text=_("ブロックの合同検討にすると、そのブロックの地域の人だけが読めます。"),
    )  # fmt: skip

    class Meta:
        model = AskedQuestion
        fields = ["title", "text", "stars", "scope", "stage", "themes", "kinds"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "stage": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "kinds": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("例：男性の参加者を増やすには？"),
            "text": _("地域のようす、困っていること、試したことを書いてください。"
                      "個人の名前は書かないでください。"),
        }  # fmt: skip

    def __init__(
        self, *args: Any, municipality: Area, blocks: QuerySet[Area], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("stars", "version"):
                field.error_messages = {**field.error_messages, **PLAIN}
        self.fields["title"].error_messages["required"] = _("題名を書いてください。")
        self.fields["text"].error_messages["required"] = _("質問の中身を書いてください。")
        self.fields["stage"].choices = [("", _("決めない")), *Stage.choices]  # type: ignore[attr-defined]
        self.fields["themes"].queryset = offered_themes(municipality, self.instance)  # type: ignore[attr-defined]
        self.fields["kinds"].queryset = Kind.objects.of(municipality)  # type: ignore[attr-defined]
        self.blocks = {b.code: b for b in blocks}
        if self.blocks and not self.instance.pk:
            choices: list[tuple[str, Any]] = [(WHOLE, _("区全体に聞く"))]
            choices += [(code, _("%(block)sの合同検討（ブロックの地域だけ）") % {"block": b.name})
                        for code, b in self.blocks.items()]  # fmt: skip
            self.fields["scope"].choices = choices  # type: ignore[attr-defined]
            self.fields["scope"].initial = WHOLE
        else:
            del self.fields["scope"]  # the audience of an asked question stays as it was
        if self.instance.pk:
            self.initial["stars"] = [s.star for s in self.instance.stars.all()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", "text")
        return data

    def block(self) -> Area | None:
        """The block chosen for a joint review, or None (the whole municipality)."""
        return self.blocks.get(self.cleaned_data.get("scope") or WHOLE)

    def tags(self) -> dict[str, Any]:
        return {n: self.cleaned_data[n] for n in ("themes", "kinds")}


class CaseChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.area.name}）"


class AnswerForm(Versioned, forms.ModelForm):
    """An answer's words and the published cases it cites (those the answerer may read), with
    the version it was read at (lib/optimistic.py)."""

    class Meta:
        model = Answer
        fields = ["text", "cases"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages = {
            **self.fields["text"].error_messages, **PLAIN,
            "required": _("回答を書いてください。"),
        }  # fmt: skip
        self.fields["cases"] = CaseChoice(
            queryset=cases.select_related("area").order_by("-happened_on", "-pk"),
            required=False, label=_("紹介する事例（いくつでも）"),
            help_text=_("答えのもとになった事例を選ぶと、回答に事例へのリンクがつきます。"),
            widget=forms.SelectMultiple(attrs={"size": 6}), error_messages=PLAIN,
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "text")
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("非表示にする理由"), max_length=300,
        error_messages={**PLAIN, "required": _("非表示にする理由を書いてください。")},
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "reason")
        return data


class FollowForm(forms.Form):
    """The tags a person follows: a new question or answer under one of them is told to them."""

    stars = forms.MultipleChoiceField(
        label=_("★の問い"), choices=Question.choices, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip
    themes = forms.ModelMultipleChoiceField(
        label=_("テーマ"), queryset=Theme.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip
    kinds = forms.ModelMultipleChoiceField(
        label=_("活動の種類"), queryset=Kind.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip
    stages = forms.TypedMultipleChoiceField(
        label=_("段階"), choices=Stage.choices, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
    )  # fmt: skip

    def __init__(self, *args: Any, municipality: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.of(municipality)  # type: ignore[attr-defined]
        self.fields["kinds"].queryset = Kind.objects.of(municipality)  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(tags: set[str]) -> dict[str, list[Any]]:
        def of(prefix: str) -> list[str]:
            return [t.split(":", 1)[1] for t in tags if t.startswith(prefix + ":")]

        return {"stars": of("star"), "themes": of("theme"), "kinds": of("kind"),
                "stages": of("stage")}  # fmt: skip

    def tags(self) -> set[str]:
        data = self.cleaned_data
        return {
            *(f"star:{s}" for s in data["stars"]), *(f"theme:{t.pk}" for t in data["themes"]),
            *(f"kind:{k.pk}" for k in data["kinds"]), *(f"stage:{n}" for n in data["stages"]),
        }  # fmt: skip
