"""Councils: the profile of each area's council, its coordinators and its members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.fiscal import fiscal_year_start


class Sector(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("町会・自治会")
    COMMISSIONER = "commissioner", _("民生・児童委員")
    SALON = "salon", _("サロン")
    CARE = "care", _("介護事業所など")
    NPO = "npo", _("NPO")
    BUSINESS = "business", _("民間企業など")
    RESIDENT = "resident", _("一般")
    WARD = "ward", _("行政")
    HOUKATSU = "houkatsu", _("包括")
    SHAKYO = "shakyo", _("社協")
    OTHER = "other", _("その他")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("会長")
    VICE_CHAIR = "vice_chair", _("副会長")
    SECRETARY = "secretary", _("書記・事務局")
    MEMBER = "member", _("委員")


def _count(queryset: models.QuerySet[Any]) -> models.Subquery:
    """COUNT(*) of a correlated subquery, as one scalar column."""
    counted = queryset.order_by().annotate(n=models.Func(models.F("pk"), function="COUNT"))
    return models.Subquery(counted.values("n"), output_field=models.IntegerField())


class CouncilQuerySet(models.QuerySet["Council"]):
    def of(self, municipality: Area) -> CouncilQuerySet:
        return self.filter(municipality=municipality)

    def with_overview(self, today: dt.date) -> CouncilQuerySet:
        """Annotate last meeting, meetings this fiscal year, open and overdue actions.

        Subqueries rather than joins: meetings and actions would multiply each other.
        """
        from .meetings import ActionItem, Meeting

        meetings = Meeting.objects.filter(council=models.OuterRef("pk"))
        actions = ActionItem.objects.filter(meeting__council=models.OuterRef("pk")).open()
        return self.annotate(
            last_meeting_on=models.Subquery(
                meetings.filter(date__lte=today).order_by("-date").values("date")[:1]
            ),
            meetings_this_year=_count(
                meetings.filter(date__gte=fiscal_year_start(today), date__lte=today)
            ),
            open_actions=_count(actions),
            overdue_actions=_count(actions.filter(due_on__lt=today)),
        )


class Council(Audited):
    """The council (協議体) of one area, with its public profile."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="council", verbose_name=_("地域")
    )
    name = models.CharField(_("会議の名前"), max_length=100)
    started_on = models.DateField(_("発足した日"), null=True, blank=True)
    frequency = models.CharField(
        _("開催の頻度"), max_length=100, blank=True, help_text=_("例: 毎月第3木曜")
    )
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    hours = models.CharField(_("時間"), max_length=100, blank=True, help_text=_("例: 14:00〜16:00"))
    vision = models.TextField(_("目指す地域像"), blank=True)
    first_number = models.PositiveIntegerField(
        _("最初に記録する回の番号"),
        default=1,
        help_text=_("この仕組みを使う前の会議があるときは、次に開く回の番号を入れてください。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("支え合い会議")
        verbose_name_plural = _("支え合い会議")
        ordering = ["area__sort_order", "area__path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils_staff:detail", args=[self.pk])


class CouncilSC(Audited):
    """Coordinators (SC) working with the council: how many, from which body, since when."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="scs")
    count = models.PositiveSmallIntegerField(_("人数"), default=1)
    body = models.CharField(
        _("所属する団体の種類"), max_length=100, help_text=_("例: 社会福祉協議会")
    )
    since = models.DateField(_("いつから"), null=True, blank=True)

    class Meta:
        verbose_name = _("生活支援コーディネーター")
        verbose_name_plural = _("生活支援コーディネーター")
        ordering = ["since", "pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.count}"

    @property
    def audit_area(self) -> Area:
        return self.council.area


class MemberQuerySet(models.QuerySet["CouncilMember"]):
    def current(self, on: dt.date | None = None) -> MemberQuerySet:
        """Members on the council on that day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=day),
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=day),
        )


class CouncilMember(Audited):
    """A person or a body sitting on the council. Names are public only with consent."""

    audit_exclude = frozenset({"updated_at"})

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("名前（個人名または団体名）"), max_length=120)
    is_body = models.BooleanField(_("団体として参加"), default=False)
    sector = models.CharField(_("分野"), max_length=20, choices=Sector.choices)
    role = models.CharField(
        _("役割"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("加わった日"), null=True, blank=True)
    left_on = models.DateField(_("退いた日"), null=True, blank=True)
    consent_to_publish_name = models.BooleanField(
        _("名前を公開ページに載せることに同意している"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議のメンバー")
        verbose_name_plural = _("会議のメンバー")
        ordering = ["left_on", "role", "sector", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.council.area
