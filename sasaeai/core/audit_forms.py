from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.lib.paths import under


class AuditFilterForm(forms.Form):
    user = forms.CharField(
        label=_("利用者（メールアドレスの一部）"), required=False, max_length=254
    )
    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて")
    )
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("すべて")), *Action.choices]
    )
    since = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("終了日は開始日より後の日付にしてください。"))
        return data

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        data = self.cleaned_data
        if data.get("user"):
            entries = entries.filter(actor__icontains=data["user"])
        if data.get("area"):
            entries = entries.filter(under(data["area"].path, "area_path"))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        return entries
