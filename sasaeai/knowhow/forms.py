"""Writing a case (with its voices), the list's search and filters, and a review comment."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity, Kind
from sasaeai.events.local_models import LocalEvent
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.optimistic import Versioned
from sasaeai.lib.paths import under
from sasaeai.progress.models import Goal, Initiative, Stage

from .models import TEXT_LIMIT, Case, Question, Theme

SECTIONS = ("background", "steps", "results", "tips", "next_challenges", "internal_note")
HELP = {
    "background": _("なぜ始めたか、どんな困りごとや課題があったか。"),
    "steps": _("何を、どんな順番でしたか。1行に1つずつ書くと読みやすくなります。"),
    "results": _("どうなったか。人数や回数など、数字があれば添えてください。"),
    "tips": _("うまくいったわけ、ほかの地域がまねするときのコツ。"),
    "next_challenges": _("これからの課題、やってみたいこと。"),
    "internal_note": _("職員だけが読むメモです。住民のページには載りません。"),
}


def offered_themes(municipality: Area, tagged: Any = None) -> QuerySet[Theme]:
    """The themes offered to tag with: those not hidden, and those `tagged` (a saved case or
    question) already holds, so that saving it again keeps them."""
    shown = Q(hidden=False)
    if tagged is not None and tagged.pk:
        shown |= Q(pk__in=tagged.themes.values("pk"))
    return Theme.objects.of(municipality).filter(shown)


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class CaseForm(Versioned, forms.ModelForm):
    """A case's fields. The area is one the writer may write for; the tags and links are the
    municipality's (and, for links, the case's area's) own. It carries the version it was
    read at (lib/optimistic.py)."""

    questions = forms.MultipleChoiceField(
        label=_("こたえる★の問い"), choices=Question.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={**PLAIN, "required": _("★の問いを1つ以上選んでください。")},
    )  # fmt: skip
    initiatives = forms.MultipleChoiceField(
        label=_("ガイドブックの取組み"), choices=Initiative.choices, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages=PLAIN,
        help_text=_("支え合い会議の「3つの取組み」のうち、どれにあたりますか（いくつでも）。"),
    )  # fmt: skip

    class Meta:
        model = Case
        fields = [
            "area", "title", "happened_on", "stage", "questions", "initiatives", "themes", "kinds",
            "audience", "background", "steps", "results", "tips", "next_challenges",
            "population", "aged_65_up", "ageing_rate", "figures_as_of", "internal_note",
            "activities", "meetings", "local_events", "goals",
        ]  # fmt: skip
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "figures_as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stage": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "kinds": forms.CheckboxSelectMultiple,
            **{name: forms.Textarea(attrs={"rows": 5}) for name in SECTIONS},
        }
        help_texts = {
            **HELP,
            "audience": _(
                "住民のページには、名前と内部メモは載りません。本文にも個人の名前を書かないでください。"
            ),
            "aged_65_up": _("空けておくと、地域の進み具合に入っている数字から入ります。"),
            "ageing_rate": _("空けておくと、人口と65歳以上の人口から計算します。"),
        }  # fmt: skip

    def __init__(
        self, *args: Any, areas: QuerySet[Area], municipality: Area, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("questions", "initiatives"):
                field.error_messages = {**field.error_messages, **PLAIN}
        self.fields["area"] = AreaChoice(
            queryset=areas, label=_("どこの事例か"), empty_label=None, error_messages=PLAIN
        )
        self.fields["title"].error_messages["required"] = _("題名を書いてください。")
        self.fields["stage"].choices = Stage.choices  # type: ignore[attr-defined]
        self.fields["themes"].queryset = offered_themes(municipality, self.instance)  # type: ignore[attr-defined]
        self.fields["kinds"].queryset = Kind.objects.of(municipality)  # type: ignore[attr-defined]
        place = self.instance.area if self.instance.pk else None
        self._links(place)
        if self.instance.pk:
            self.initial["questions"] = [q.question for q in self.instance.questions.all()]
            self.initial["initiatives"] = [i.initiative for i in self.instance.initiatives.all()]

    def _links(self, place: Area | None) -> None:
        """The activities, meetings, events and goals of the case's area and below; offered
        once the case is saved (its area known)."""
        link_fields = {
            "activities": Activity.objects.all(), "meetings": Meeting.objects.all(),
            "local_events": LocalEvent.objects.all(), "goals": Goal.objects.all(),
        }  # fmt: skip
        paths = {"activities": "area__path", "meetings": "council__area__path",
                 "local_events": "area__path", "goals": "area__path"}  # fmt: skip
        for name, queryset in link_fields.items():
            if place is None:
                del self.fields[name]
                continue
            field = self.fields[name]
            field.queryset = queryset.filter(under(place.path, paths[name]))  # type: ignore[attr-defined]
            field.widget.attrs["size"] = 6

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title", *SECTIONS)
        population, aged = data.get("population"), data.get("aged_65_up")
        if population is not None and aged is not None and aged > population:
            self.add_error("aged_65_up", _("65歳以上の人口が、人口より多くなっています。"))
        return data

    def refuse(self, stale: Any, **kwargs: Any) -> None:
        """As Versioned's, without rows for the tags kept in tables of their own (the ★
        questions, the initiatives), whose saved value is not a column to show."""
        super().refuse(stale, **kwargs)
        own = {str(self.fields[n].label) for n in ("questions", "initiatives")}
        if self.stale is not None:
            rows = [row for row in self.stale.rows if row[0] not in own]
            self.stale = dataclasses.replace(self.stale, rows=rows)

    def links(self) -> dict[str, Any]:
        """The tags and links chosen, for services.save_case."""
        names = ["themes", "kinds", "activities", "meetings", "local_events", "goals"]
        return {n: self.cleaned_data[n] for n in names if n in self.fields}


class VoiceForm(forms.Form):
    role = forms.CharField(
        label=_("立場"), max_length=60, required=False, help_text=_("例：サロンの代表、民生委員"),
        error_messages=PLAIN,
    )  # fmt: skip
    words = forms.CharField(
        label=_("声"), max_length=1000, required=False, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    name = forms.CharField(label=_("名前"), max_length=60, required=False, error_messages=PLAIN)
    name_consent = forms.BooleanField(
        label=_("名前を載せることに本人が同意している（職員のページだけに載ります）"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "role", "words", "name")
        if data.get("words") and not data.get("role"):
            self.add_error("role", _("話した人の立場を書いてください。"))
        if data.get("role") and not data.get("words"):
            self.add_error("words", _("声を書いてください。"))
        if data.get("name") and not data.get("name_consent"):
            self.add_error("name_consent", _("名前を載せるのは、本人が同意したときだけです。"))
        return data


VoiceFormSet = forms.formset_factory(VoiceForm, extra=2, max_num=10, absolute_max=10)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("直してほしいこと"), max_length=2000, error_messages=PLAIN,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "text")
        return data


__all__ = ["TEXT_LIMIT", "CaseForm", "CommentForm", "VoiceFormSet"]
