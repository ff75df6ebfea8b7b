from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area

from .models import Role, User


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "　" * max(obj.depth, 0)
        return f"{indent}{obj.name}"


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("メールアドレス"))
    display_name = forms.CharField(label=_("表示名"), max_length=100, required=False)
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none(), empty_label=None)
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, email = data.get("area"), data.get("email")
        if area is not None and email:
            existing = User.objects.filter(email=email).first()
            if existing is not None and existing.municipality_id not in (
                None,
                area.municipality_id,
            ):
                self.add_error("email", _("このメールアドレスは登録できません。"))
        return data
