"""The honeypot of public forms: a field people cannot see (templates/includes/form.html
hides it) and bots fill in. A form sent with it filled is refused, and nothing is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIELD = "website"


def field() -> forms.CharField:
    return forms.CharField(required=False, label=_("この欄は空のままにしてください"))


def refuse_if_filled(value: Any) -> None:
    """What a bot sees: a plain refusal that says nothing of why."""
    if value:
        raise ValidationError(_("送信できませんでした。"))


class Honeypot(forms.Form):
    """A public form with the honeypot as its last field."""

    website = field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = self.fields.pop(FIELD)  # after every field people fill in

    def clean_website(self) -> str:
        refuse_if_filled(self.cleaned_data.get(FIELD))
        return ""
