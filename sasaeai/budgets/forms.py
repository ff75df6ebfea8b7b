"""Forms of the budget pages. Amounts go through YenField: whole yen, full-width welcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.optimistic import Versioned

from .models import Budget, Expense, ExpenseCategory
from .money import YenField

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
# What a receipt's first bytes must be, whatever its name or the browser claims.
RECEIPT_KINDS = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
}


def receipt_kind(upload: UploadedFile) -> str:
    """The content type of a PDF/JPEG/PNG receipt, or a Japanese ValidationError."""
    if upload.size and upload.size > MAX_RECEIPT_BYTES:
        raise forms.ValidationError(_("領収書のファイルが大きすぎます。5MBまでにしてください。"))
    name = (upload.name or "").lower()
    head = upload.read(8)
    upload.seek(0)
    for kind, (magic, extensions) in RECEIPT_KINDS.items():
        if name.endswith(extensions) and head.startswith(magic):
            return kind
    raise forms.ValidationError(
        _("領収書は PDF・JPEG・PNG のファイルにしてください（写真はJPEGかPNG）。")
    )


class BudgetForm(Versioned, forms.ModelForm):
    amount = YenField(label=_("予算額（円）"), min_yen=0, max_yen=1_000_000_000)

    class Meta:
        model = Budget
        fields = ["amount", "note"]


class ExpenseForm(Versioned, forms.ModelForm):
    amount = YenField(label=_("金額（円）"), max_yen=10_000_000)
    receipt = forms.FileField(
        label=_("領収書（PDF・JPEG・PNG、5MBまで）"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_receipt = forms.BooleanField(label=_("いまの領収書を外す"), required=False)
    # Set by the page after it has shown the 90 % / 100 % warning once.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Expense
        fields = ["spent_on", "category", "item", "amount"]
        widgets = {"spent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.category_id if self.instance.pk else None
        # A category taken out of use stays selectable on the expenses that already have it.
        self.fields["category"].queryset = ExpenseCategory.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=categories.values("pk")) | Q(pk=current)
        )
        self.fields["category"].empty_label = _("選んでください")  # type: ignore[attr-defined]
        if not (self.instance.pk and self.instance.receipt):
            del self.fields["remove_receipt"]

    def clean_receipt(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("receipt")
        if upload:
            self.cleaned_data["receipt_type"] = receipt_kind(upload)
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("承認する")), ("reject", _("却下する"))])
    reason = forms.CharField(label=_("却下の理由"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("却下するときは理由を書いてください。"))
        return data


class CategoryForm(Versioned, forms.ModelForm):
    class Meta:
        model = ExpenseCategory
        fields = ["name", "sort_order", "is_active"]

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = ExpenseCategory.objects.filter(
            municipality=self.instance.municipality, name=name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("同じ名前の費目がすでにあります。"))
        return name
