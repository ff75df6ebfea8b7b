"""The ward edits its municipality's themes (担い手, 居場所, 移動 …): adds, renames, reorders
and hides them. A theme that tags a case or a question is never deleted, only hidden: it stays
on what it tags and is no longer offered. Any refused row leaves every theme as it was."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sasaeai.accounts import access
from sasaeai.lib.forms import PLAIN, plain_fields

from . import lookups, services
from .models import Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "sort_order", "hidden"]
        widgets = {"sort_order": forms.NumberInput(attrs={"min": 0, "max": 999})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **PLAIN}
        self.fields["name"].error_messages["required"] = gettext_lazy(
            "テーマの名前を書いてください。"
        )
        self.fields["sort_order"].required = False

    def has_changed(self) -> bool:
        """The row to add one counts only once a name is typed in it."""
        if self.instance.pk is None:
            return bool(str(self.data.get(self.add_prefix("name"), "")).strip())
        return super().has_changed()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "name")
        if data.get("sort_order") is None:
            data["sort_order"] = self.instance.sort_order or 999
        return data


class BaseThemeFormSet(forms.BaseModelFormSet):
    def add_fields(self, form: forms.ModelForm[Any], index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext_lazy("このテーマを消す")

    def clean(self) -> None:
        """A theme in use is not deleted (the whole form is refused, saying which); two
        themes may not share a name."""
        super().clean()
        names: set[str] = set()
        refused = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue  # the empty row to add one, left empty
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") and form.instance.pk:
                if in_use(form.instance):
                    refused.append(
                        _("「%(name)s」は事例や質問に使われているので消せません。"
                          "「使わない（隠す）」にしてください。") % {"name": form.instance.name}
                    )  # fmt: skip
                continue
            name = (data.get("name") or "").strip()
            if name and name in names:
                form.add_error("name", _("同じ名前のテーマが2つあります。"))
            names.add(name)
        if refused:
            raise forms.ValidationError(refused)


ThemeFormSet = forms.modelformset_factory(
    Theme, form=ThemeForm, formset=BaseThemeFormSet, extra=1, can_delete=True, max_num=200,
    absolute_max=200,
)  # fmt: skip


def in_use(theme: Theme) -> bool:
    """A case or a question holds the theme."""
    return theme.pk in used(Theme.objects.filter(pk=theme.pk))


def used(themes: Any) -> set[int]:
    """The ids of `themes` that a case or a question holds (one query)."""
    held = themes.filter(Q(cases__isnull=False) | Q(asked_questions__isnull=False))
    return set(held.values_list("pk", flat=True))


@require_http_methods(["GET", "POST"])
@access.require(lookups.EDIT)
def themes(request: HttpRequest) -> HttpResponse:
    """The municipality's themes, each renamed, ordered, hidden or deleted (when unused) in
    one form, with an empty row to add one."""
    town = lookups.theme_municipality(request)
    queryset = services.ensure_themes(town).order_by("sort_order", "pk")
    data = request.POST if request.method == "POST" else None
    formset = ThemeFormSet(data, queryset=queryset, prefix="theme")
    if data is not None and formset.is_valid():
        try:
            with transaction.atomic():
                for form in formset.deleted_forms:
                    if form.instance.pk:
                        form.instance.delete()
                for theme in formset.save(commit=False):
                    theme.municipality = town
                    theme.save()
        except IntegrityError:  # two names swapped in one go, or one taken meanwhile
            messages.error(request, _("同じ名前のテーマがあるため保存できませんでした。"
                                      "名前を確かめて、もう一度保存してください。"))  # fmt: skip
        else:
            messages.success(request, _("テーマを保存しました。"))
            return redirect("knowhow_staff:themes")
    usage = used(queryset)
    rows = [(form, form.instance.pk in usage) for form in formset.forms]
    context = {"formset": formset, "rows": rows, "town": town}
    status = 400 if data is not None else 200
    return render(request, "knowhow/themes.html", context, status=status)
