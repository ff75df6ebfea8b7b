"""Forms of the institution directory: institutions, their kinds and their staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib.forms import plain_fields, plain_text
from sasaeai.lib.optimistic import Versioned

from .models import Institution, InstitutionKind, InstitutionStaff

TEXT = ("name", "kana", "address", "phone", "hours", "helps_with")


def coverable_areas(municipality: Area) -> QuerySet[Area]:
    """What an institution may cover: the whole municipality, a block or a region."""
    kinds = [AreaKind.MUNICIPALITY, AreaKind.BLOCK, AreaKind.REGION]
    return Area.objects.filter(Q(pk=municipality.pk) | Q(municipality=municipality)).filter(
        kind__in=kinds
    )


class AreasField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return AreaChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class InstitutionForm(Versioned, forms.ModelForm):
    areas = AreasField(
        label=_("担当する地域"), queryset=Area.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("区全体・ブロックを選ぶと、その中のすべての地域を担当します。"),
    )  # fmt: skip

    class Meta:
        model = Institution
        fields = ["kind", "name", "kana", "address", "latitude", "longitude", "phone", "hours",
                  "helps_with", "areas", "is_public"]  # fmt: skip
        widgets = {
            "helps_with": forms.Textarea(attrs={"rows": 4}),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }
        help_texts = {"latitude": _("地図に印を出すときに入れます（例: 35.7878）。"),
                      "longitude": _("例: 139.6455")}  # fmt: skip

    def __init__(self, *args: Any, municipality: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["kind"].queryset = InstitutionKind.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        )
        self.fields["kind"].empty_label = None  # type: ignore[attr-defined]
        self.fields["areas"].queryset = coverable_areas(municipality).order_by(  # type: ignore[attr-defined]
            "path"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, *TEXT)
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = data.get(name)
            if value is not None and not -limit <= value <= limit:
                self.add_error(
                    name, _("-%(l)s から %(l)s までの数を入れてください。") % {"l": limit}
                )
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("緯度と経度は両方入れるか、両方空にしてください。"))
        return data


class KindForm(Versioned, forms.ModelForm):
    class Meta:
        model = InstitutionKind
        fields = ["name", "kana", "description", "code", "sort_order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "code": _("半角英数字とハイフン（例: houkatsu）。取り込みのファイルでも使えます。")
        }

    def __init__(self, *args: Any, municipality: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return plain_text(self.cleaned_data["description"])

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = InstitutionKind.objects.filter(
            municipality=self.instance.municipality, code=code
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("このコードはもう使われています。別のコードにしてください。"))
        return code


class StaffForm(forms.Form):
    email = forms.EmailField(
        label=_("職員のメールアドレス"),
        help_text=_("「専門機関の職員」の役割を持つ利用者だけを加えられます。"),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        municipality = self.institution.municipality
        holds = Membership.objects.filter(user__email=email, role=Role.INSTITUTION_STAFF).filter(
            Q(area=municipality) | Q(area__municipality=municipality)
        )
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None or not holds.exists():
            raise ValidationError(
                _(
                    "この自治体で「専門機関の職員」の役割を持つ利用者が見つかりません。"
                    "先に「利用者と役割」で役割を付けてください。"
                )
            )
        if InstitutionStaff.objects.filter(user=user, institution=self.institution).exists():
            raise ValidationError(_("この利用者はもう登録されています。"))
        return user
