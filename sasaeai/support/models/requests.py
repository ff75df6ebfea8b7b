"""Requests for help (応援の依頼) from a council to the ward side, their steps and messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Council, Meeting
from sasaeai.lib.history import Step
from sasaeai.lib.notices import NoticeBase, recipient
from sasaeai.needs.models import Need


class Kind(models.TextChoices):
    """The guidebook's four ways the ward, 社協 and 包括 stand by a council."""

    LEARN = "learn", _("学び合う")
    SUPPORT = "support", _("支え合う")
    CONNECT = "connect", _("つなぎ合う")
    CONTRIBUTE = "contribute", _("出し合う")


class Topic(models.TextChoices):
    """The guidebook's examples of each kind (its wording), and "other" for each."""

    TRAINING = "training", _("各種研修会、連絡会の開催（SC研修会、SC連絡会・第2層研修会）")
    OUTSIDE_TRAINING = "outside_training", _("外部研修・勉強会の案内")
    VISIT = "visit", _("他自治体の活動調査・視察")
    LEARN_OTHER = "learn_other", _("その他（学び合う）")
    PAPERWORK = "paperwork", _("資料作成などの事務補佐")
    ADVICE = "advice", _("支え合い会議の運営上のアドバイス（打合せでの共同検討、アイデア出し等）")
    BUDGET = "budget", _("運営費管理の補佐")
    SUPPORT_OTHER = "support_other", _("その他（支え合う）")
    HARD_CASE = "hard_case", _("支え合い会議では難しい事例への対応")
    SPECIALIST = "specialist", _("各専門機関への連絡・調整（個別ケースに対する相談等）")
    OTHER_REGIONS = "other_regions", _("各地域や他自治体の情報提供・調整")
    CONNECT_OTHER = "connect_other", _("その他（つなぎ合う）")
    HANDS = "hands", _("企画等の開催時のマンパワーの提供")
    PROFESSIONAL = "professional", _("専門職の活用・調整")
    KNOWLEDGE = "knowledge", _("専門知識の活用・調整")
    VENUE = "venue", _("施設（場所）の活用・調整")
    CONTRIBUTE_OTHER = "contribute_other", _("その他（出し合う）")


T = Topic
KIND_OF_TOPIC: dict[str, str] = {
    **dict.fromkeys([T.TRAINING, T.OUTSIDE_TRAINING, T.VISIT, T.LEARN_OTHER], Kind.LEARN),
    **dict.fromkeys([T.PAPERWORK, T.ADVICE, T.BUDGET, T.SUPPORT_OTHER], Kind.SUPPORT),
    **dict.fromkeys([T.HARD_CASE, T.SPECIALIST, T.OTHER_REGIONS, T.CONNECT_OTHER], Kind.CONNECT),
    **dict.fromkeys(
        [T.HANDS, T.PROFESSIONAL, T.KNOWLEDGE, T.VENUE, T.CONTRIBUTE_OTHER], Kind.CONTRIBUTE
    ),
}


def grouped_topics() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Topic choices grouped under their kind (an <optgroup> each)."""
    return [
        (kind.label, [(t.value, t.label) for t in Topic if KIND_OF_TOPIC[t] == kind])
        for kind in Kind
    ]


class Status(models.TextChoices):
    NEW = "new", _("受付待ち")
    ACCEPTED = "accepted", _("対応中")
    DONE = "done", _("完了")
    DECLINED = "declined", _("お断り")


OPEN_STATUSES = frozenset({Status.NEW, Status.ACCEPTED})
# How the timeline names the step that led to each status.
STEP_LABELS: dict[str, Any] = {
    Status.NEW: _("依頼を受け付けました"),
    Status.ACCEPTED: _("引き受けました"),
    Status.DONE: _("完了しました"),
    Status.DECLINED: _("お断りしました"),
}


class Side(models.TextChoices):
    COUNCIL = "council", _("会議側")
    WARD = "ward", _("区・社協・包括")


class RequestQuerySet(models.QuerySet["SupportRequest"]):
    def of(self, municipality: Area) -> RequestQuerySet:
        return self.filter(municipality=municipality)

    def open(self) -> RequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def unanswered(self) -> RequestQuerySet:
        """Asked and neither accepted nor declined yet (受付待ち): the ward side's turn."""
        return self.filter(status=Status.NEW)

    def opened_before(self, day: dt.date) -> RequestQuerySet:
        """Opened on or before `day` (for "open for at least N days")."""
        return self.filter(opened_at__date__lte=day)

    def oldest_open_first(self) -> RequestQuerySet:
        """Open requests first, the longest waiting on top; then the rest, newest first."""
        is_open = models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.Value(0)),
            default=models.Value(1),
        )
        waiting = models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.F("opened_at")),
            default=None,
        )
        return self.alias(closed_last=is_open, waiting=waiting).order_by(
            "closed_last", models.F("waiting").asc(nulls_last=True), "-closed_at", "-id"
        )


class SupportRequest(Audited):
    """A council asks the ward side (区・社協・包括) for help of one kind, by a date."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="support_requests", verbose_name=_("地域")
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="support_requests",
        verbose_name=_("依頼する会議"),
    )  # fmt: skip
    kind = models.CharField(_("応援の種類"), max_length=12, choices=Kind.choices, editable=False)
    topic = models.CharField(_("何の応援か"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("依頼の内容（ひとことで）"), max_length=120)
    detail = models.TextField(_("くわしい内容"), max_length=3000, blank=True)
    needed_by = models.DateField(_("いつまでに"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="support_requests", verbose_name=_("話し合った会議"),
    )  # fmt: skip
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="support_requests", verbose_name=_("もとの困りごと"),
    )  # fmt: skip
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.NEW)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("依頼した人"),
    )  # fmt: skip
    opened_at = models.DateTimeField(_("依頼した日時"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("引き受けた人"),
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("引き受けた日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了・お断りの日時"), null=True, blank=True)
    decline_reason = models.TextField(_("お断りの理由"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("応援の依頼")
        verbose_name_plural = _("応援の依頼")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="support_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "declined"])
                | models.Q(accepted_at__isnull=False),
                name="support_accepted_before_done",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status", "opened_at"], name="support_area_status"),
            models.Index(fields=["municipality", "kind"], name="support_muni_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("support_staff:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Tenant, area and kind follow from the council and topic, never from input.
        self.area = self.council.area
        self.municipality = self.area.municipality or self.area
        self.kind = KIND_OF_TOPIC[self.topic]
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"S-{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_open(self, today: dt.date | None = None) -> int:
        """Days since it was asked: to today while open, to its closing day after."""
        end = timezone.localdate(self.closed_at) if self.closed_at else None
        end = end or today or timezone.localdate()
        return max((end - timezone.localdate(self.opened_at)).days, 0)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.needed_by is not None and self.needed_by < today


class RequestEvent(Step, Audited):
    """One dated step of a request (asked, accepted, done, declined) and who took it (Step)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("この後の状態"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    note = models.TextField(_("メモ"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("応援の依頼の経過")
        verbose_name_plural = _("応援の依頼の経過")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_status_display()}"

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS[self.status])

    @property
    def audit_area(self) -> Area:
        return self.request.area


class RequestMessage(Audited):
    """A message of the conversation on a request, from the council side or the ward side."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("どちらから"), max_length=8, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("書いた人"), max_length=100, blank=True)
    body = models.TextField(_("メッセージ"), max_length=2000)
    at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("応援の依頼へのメッセージ")
        verbose_name_plural = _("応援の依頼へのメッセージ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.author_name}"

    @property
    def audit_area(self) -> Area:
        return self.request.area


class RequestNotice(NoticeBase):
    """An in-app "there is news" marker for one user and one request."""

    user = recipient("support_notices")
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        indexes = [models.Index(fields=["user", "read_at"], name="supnotice_user_read")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.request_id}"
