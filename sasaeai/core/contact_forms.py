from typing import Any

from django import forms

from sasaeai.areas.models import AreaContact
from sasaeai.lib.forms import PLAIN, plain_fields
from sasaeai.lib.optimistic import Versioned


class ContactForm(Versioned, forms.ModelForm[AreaContact]):
    class Meta:
        model = AreaContact
        fields = ["post", "phone", "fax", "hours", "place"]
        error_messages = dict.fromkeys(fields, PLAIN)
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        plain_fields(self, data, "post", "hours", "place")
        return data
