"""The Python-rendered widgets write the same HTML as Django's own templates."""

from typing import Any

import pytest
from django import forms
from django.test import SimpleTestCase

from sasaeai.lib import widgets

CHOICES = [("", "すべて"), ("a", "赤塚 & <大門>"), ("b", '"成増"')]


class Plain(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=[("", "-"), ("地域", [("x", "X"), ("y", "Y")])])
    flag = forms.BooleanField(required=False)
    where = forms.CharField(required=False, widget=forms.HiddenInput)


class Quick(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False, widget=widgets.Select)
    grouped = forms.ChoiceField(
        choices=[("", "-"), ("地域", [("x", "X"), ("y", "Y")])], widget=widgets.Select
    )
    flag = forms.BooleanField(required=False, widget=widgets.CheckboxInput)
    where = forms.CharField(required=False, widget=widgets.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"pick": "a", "grouped": "y", "flag": "on", "where": '35.7,139.6"<x>'},
        {"pick": "zz", "grouped": "", "flag": ""},  # invalid: errors add aria attributes
    ],
)
def test_same_html_as_django_templates(data: Any) -> None:
    plain, quick = Plain(data), Quick(data)
    plain.is_valid(), quick.is_valid()
    for name in ("pick", "grouped", "flag", "where"):
        SimpleTestCase().assertHTMLEqual(str(quick[name]), str(plain[name]))


def test_text_is_escaped() -> None:
    html = str(Quick({"pick": "a"})["pick"])
    assert "赤塚 &amp; &lt;大門&gt;" in html and "&quot;成増&quot;" in html
    assert '<option value="a" selected>' in html
