"""The search and filters that the case list and the question list share: words (the
directory's Japanese search), a ★ question, a theme, a kind, a stage and the order; the cases
add the guidebook's initiative, the region and the 年度. One form and one narrowing, so both
lists read their GET parameters alike; anything odd in them is dropped, never a 500."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.directory.models import Kind
from sasaeai.lib import memo
from sasaeai.lib.fiscal import year_bounds
from sasaeai.lib.forms import FiscalYearField
from sasaeai.progress.models import Initiative, Stage

from .models import Question, Theme
from .rows import ROWS
from .search import matching
from .widgets import Select, TextInput

PER_PAGE = 30
ALL = ("", _("すべて"))


class TagFilterForm(forms.Form):
    """The words and tags of a know-how list (GET). `star` names the ★ question's parameter:
    "question" on the case list, "star" on the question list (their addresses stay)."""

    star = "question"
    q = forms.CharField(label=_("ことば"), max_length=100, required=False, widget=TextInput)
    theme = forms.ModelChoiceField(
        label=_("テーマ"), queryset=Theme.objects.none(), required=False,
        empty_label=_("すべて"), widget=Select,
    )  # fmt: skip
    kind = forms.ModelChoiceField(
        label=_("活動の種類"), queryset=Kind.objects.none(), required=False,
        empty_label=_("すべて"), widget=Select,
    )  # fmt: skip
    stage = forms.TypedChoiceField(
        label=_("段階"), choices=[ALL, *Stage.choices], coerce=int, empty_value=None,
        required=False, widget=Select,
    )  # fmt: skip
    sort = forms.ChoiceField(
        label=_("並べ方"), required=False,
        choices=[("new", _("新しい順")), ("useful", _("役に立った順"))], widget=Select,
    )  # fmt: skip

    def __init__(self, *args: Any, municipality: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        star = forms.ChoiceField(label=_("★の問い"), choices=[ALL, *Question.choices],
                                 required=False, widget=Select)  # fmt: skip
        # The ★ question first after the words, as both lists have always shown it.
        self.fields = {"q": self.fields.pop("q"), self.star: star, **self.fields}
        self.fields["theme"].queryset = Theme.objects.of(municipality)  # type: ignore[attr-defined]
        self.fields["kind"].queryset = Kind.objects.of(municipality)  # type: ignore[attr-defined]
        self.drawn_from_values("theme", "kind")

    def drawn_from_values(self, *names: str) -> None:
        """The options of these model choice fields drawn from their querysets' values (the
        value sent, the `to_field_name` or pk, and the name the models' `__str__` shows),
        read once per municipality and remembered (lib/memo: forgotten when an area, a kind
        or a theme is saved or deleted), not from a model object per option at every
        search. What is sent is still checked against the queryset."""
        for name in names:
            field = self.fields[name]
            key = ("knowhow-filter-options", self.municipality.pk, name)
            options = memo.remember(key, partial(_options, field))
            field.widget.choices = [("", field.empty_label), *options]  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())

    def narrow(self, found: Any) -> Any:
        """`found` (cases or questions) narrowed by this valid form's words and tags."""
        data = self.cleaned_data
        model = found.model
        if data.get("q"):
            found = found.filter(matching(data["q"], self.municipality, model))
        if data.get(self.star):
            found = found.answering(data[self.star])
        if data.get("theme"):
            found = tagged(found, "themes", data["theme"])
        if data.get("kind"):
            found = tagged(found, "kinds", data["kind"])
        if data.get("stage"):
            found = found.filter(stage=data["stage"])
        return found


def _options(field: Any) -> list[tuple[Any, str]]:
    return list(field.queryset.values_list(field.to_field_name or "pk", "name"))


def tagged(found: Any, relation: str, tag: Any) -> Any:
    """`found` narrowed to the rows that `relation` (a many-to-many) links to `tag`: the ids
    read once from the link table (`id IN (SELECT case_id …)`), and each row of the list's
    own index tested against them. Narrowing by `pk IN (the cases so linked)` read the case
    table a second time; a join looks each case up in the link table (1.7 times the cost of
    the list of ids for the ★ question's count at 10,000 cases, bench/README.md)."""
    field = found.model._meta.get_field(relation)
    links = field.remote_field.through.objects.filter(**{field.m2m_reverse_field_name(): tag})
    return found.filter(pk__in=links.values(field.m2m_field_name()))


class CaseFilterForm(TagFilterForm):
    """The case list's: the shared ones, and the initiative, the region and the 年度."""

    initiative = forms.ChoiceField(
        label=_("ガイドブックの取組み"), choices=[ALL, *Initiative.choices], required=False,
        widget=Select,
    )  # fmt: skip
    region = forms.ModelChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        to_field_name="code", widget=Select,
    )  # fmt: skip
    year = FiscalYearField(widget=Select)

    field_order = ["q", "question", "initiative", "theme", "kind", "stage", "region", "year"]

    def __init__(self, *args: Any, municipality: Area, **kwargs: Any) -> None:
        super().__init__(*args, municipality=municipality, **kwargs)
        self.order_fields(self.field_order)
        regions = Area.objects.of(municipality).exclude(kind="municipality")
        self.fields["region"].queryset = regions.order_by("sort_order", "path")  # type: ignore[attr-defined]
        self.drawn_from_values("region")

    def narrow(self, found: Any) -> Any:
        found = super().narrow(found)
        data = self.cleaned_data
        if data.get("initiative"):
            found = found.taking(data["initiative"])
        if data.get("region"):
            found = found.within(data["region"])
        if data.get("year"):
            first, last = year_bounds(data["year"])
            found = found.filter(happened_on__range=(first, last))
        return found


class QuestionFilterForm(TagFilterForm):
    star = "star"


def list_page(request: HttpRequest, form: TagFilterForm, found: Any, template: str) -> HttpResponse:
    """A list page: `found` narrowed by the form (when valid), newest or most useful first,
    a page of rows with what they show, and the query to keep across pages."""
    sort = "new"
    if form.is_valid():
        found = form.narrow(found)
        sort = form.cleaned_data.get("sort") or "new"
    found = found.most_useful() if sort == "useful" else found.newest()
    page = _page(found, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "searched": bool(request.GET)}  # fmt: skip
    return render(request, template, context)


def _page(found: Any, number: str | None) -> Page:
    """The page `number` of `found` (ordered): its ids first, counted and chosen from the
    list's narrow index alone (migration 0007), then those rows with what a row shows
    (rows.py). Sorting the whole rows (their texts and words) to keep 30 of them read every
    row of the town."""
    page = Paginator(found.values_list("pk", flat=True), PER_PAGE).get_page(number)
    ids = list(page.object_list)
    rows = ROWS[found.model](ids) if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # (one deleted meanwhile)
    return page
