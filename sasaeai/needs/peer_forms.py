"""The filters of the public 仲間募集 list: region, kind of activity, weekday, who is sought.
Every field lives in the URL (a plain GET form, no JavaScript), so a filtered list can be
shared and paged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.directory.models import Facet, Kind

from .helper_forms import WEEKDAY_CHOICES
from .matching import bits_q
from .models import LookingFor, PeerCallQuerySet


class PeerFilterForm(forms.Form):
    area = forms.ChoiceField(
        label=_("地域"), required=False,
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("活動の種類"), required=False,
        error_messages={"invalid_choice": _("活動の種類は一覧から選んでください。")},
    )  # fmt: skip
    weekday = forms.ChoiceField(
        label=_("曜日"), required=False, choices=[("", _("何曜日でも")), *WEEKDAY_CHOICES],
        error_messages={"invalid_choice": _("曜日は一覧から選んでください。")},
    )  # fmt: skip
    looking_for = forms.ChoiceField(
        label=_("募集しているのは"), required=False,
        choices=[("", _("どちらでも")), *LookingFor.choices],
        error_messages={"invalid_choice": _("募集しているものは一覧から選んでください。")},
    )  # fmt: skip

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
        self.regions = {a.code: a for a in regions.only("id", "code", "name", "path")}
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("すべての地域")),
            *((a.code, a.name) for a in self.regions.values()),
        ]
        kinds = Kind.objects.of(municipality).filter(facet=Facet.ACTIVITY)
        self.kinds = {k.code: k for k in kinds.only("id", "code", "name", "bit")}
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("すべての種類")),
            *((k.code, k.name) for k in self.kinds.values()),
        ]

    def narrow(self, calls: PeerCallQuerySet) -> PeerCallQuerySet:
        """The calls that fit the valid filters; a filter with an error narrows nothing (its
        message is shown next to it)."""
        if not self.is_bound:
            return calls
        self.is_valid()
        data = self.cleaned_data
        if region := self.regions.get(data.get("area") or ""):
            calls = calls.filter(access.under(region.path, "area__path"))
        if kind := self.kinds.get(data.get("kind") or ""):
            mask = kind.mask
            calls = calls.filter(
                bits_q("activity__kind_bits", mask) if mask else Q(activity__kinds=kind)
            )
        if (day := data.get("weekday")) not in (None, ""):
            calls = calls.filter(bits_q("activity__weekday_bits", 1 << int(day)))
        if data.get("looking_for"):
            calls = calls.filter(looking_for=data["looking_for"])
        return calls

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)
