"""Forms of the organisers' network: recording an organiser's consent, writing to them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.forms import PLAIN, plain_text

from . import network
from .models import Activity, NetworkMember

MESSAGE_LIMIT = 2000


class ActivityChoice(forms.ModelChoiceField[Activity]):
    def label_from_instance(self, obj: Activity) -> str:
        if not network.may_join(obj):
            return str(_("%(name)s（連絡先が未登録）") % {"name": obj.name})
        return str(_("%(name)s（%(contact)s）") % {"name": obj.name, "contact": obj.contact_name})


class JoinForm(forms.Form):
    activity = ActivityChoice(
        queryset=Activity.objects.none(), label=_("活動"), error_messages=PLAIN
    )
    checked_on = forms.DateField(
        label=_("主催者に確認した日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": PLAIN["required"], "invalid": _("日付を選んでください。")},
    )
    agreed = forms.BooleanField(
        label=_(
            "主催者に、名前・電話・メールが地域の活動者とSCの間で共有されること"
            "（一般には公開しないこと）を説明し、参加の同意を得ました"
        ),
        error_messages={"required": _("主催者の同意を確かめてから記録してください。")},
    )

    def __init__(self, *args: Any, activities: list[Activity], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"checked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field: ActivityChoice = self.fields["activity"]  # type: ignore[assignment]
        field.queryset = Activity.objects.filter(pk__in=[a.pk for a in activities])
        # In the region's listing order, which the pk filter above does not keep.
        field.choices = [("", _("選んでください")), *((a.pk, field.label_from_instance(a))
                                                      for a in activities)]  # fmt: skip

    def clean_activity(self) -> Activity:
        activity: Activity = self.cleaned_data["activity"]
        if not network.may_join(activity):
            raise forms.ValidationError(
                _(
                    "この活動には連絡先（担当者名と、電話かメール）が登録されていません。"
                    "先に活動のページで連絡先を登録してください。"
                )
            )
        return activity

    def clean_checked_on(self) -> Any:
        day = self.cleaned_data["checked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("まだ来ていない日は選べません。"))
        return day


class MemberChoice(forms.ModelMultipleChoiceField[NetworkMember]):
    def label_from_instance(self, obj: NetworkMember) -> str:
        activity = obj.activity
        how = _("メール") if activity.contact_email else _("メールなし（電話・印刷でお知らせ）")
        return f"{activity.name}（{activity.contact_name}・{how}）"


class MessageForm(forms.Form):
    everyone = forms.BooleanField(label=_("参加している全員に送る"), required=False)
    members = MemberChoice(
        queryset=NetworkMember.objects.none(),
        label=_("送る相手"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=PLAIN,
    )
    body = forms.CharField(
        label=_("メッセージ"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "メールには書かれません。受け取った方は、メールのリンクからこのメッセージと"
            "地域の活動者の一覧を見ます。"
        ),
        error_messages=PLAIN,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]

    def clean_body(self) -> str:
        return plain_text(self.cleaned_data["body"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("everyone") and not data.get("members") and "members" not in self.errors:
            self.add_error(
                "members",
                _(
                    "送る相手を選んでください。全員に送るときは「参加している全員に送る」を選びます。"
                ),
            )
        return data

    def chosen(self) -> list[NetworkMember]:
        if self.cleaned_data["everyone"]:
            return list(self.fields["members"].queryset)  # type: ignore[attr-defined]
        return list(self.cleaned_data["members"])
