"""Institutions (専門機関) and referrals (つなぎ) of hard cases to them, with consent.

A referral is the one record of sasaeai that holds sensitive personal data (要配慮個人情報).
Its personal fields are EncryptedTextFields: ciphertext at rest, never filtered, searched or
ordered on. Who may see a referral is decided in lookups.py only. Every status change is a
ReferralEvent. Retention (services.py, run nightly): finished referrals are anonymised after
the municipality's retention period, sent ones never finished after the same period from
their last change, and drafts untouched for SASAEAI_REFERRAL_DRAFT_DAYS days are deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.history import Step
from sasaeai.lib.notices import NoticeBase, recipient
from sasaeai.needs.models import Need

from .crypto import EncryptedTextField

DEFAULT_RETENTION_YEARS = 5


class InstitutionKind(Audited):
    """A term of the municipality's editable taxonomy of institutions."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    kana = models.CharField(_("よみがな"), max_length=120, blank=True)
    # Shown to residents under the kind's name on /institutions/ and on each institution's
    # page: what this kind of place does, in the plain words of the guidebook.
    description = models.TextField(
        _("どんなところか（住民向けの説明）"), max_length=1000, blank=True,
        help_text=_("公開サイトの「相談できる専門機関」で、種類の名前の下に出ます。"
                    "やさしいことばで、2〜3文で書いてください。"),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("並び順"), default=0)
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("専門機関の種類")
        verbose_name_plural = _("専門機関の種類")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="instkind_code_per_muni")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality


class InstitutionQuerySet(models.QuerySet["Institution"]):
    def of(self, municipality: Area) -> InstitutionQuerySet:
        return self.filter(municipality=municipality)

    def public(self) -> InstitutionQuerySet:
        return self.filter(is_public=True)

    def covering(self, area: Area) -> InstitutionQuerySet:
        """Institutions whose covered areas include this area or one above it."""
        return self.filter(areas__in=[*area.ancestors(), area]).distinct()

    def mine_first(self, regions: list[Area]) -> InstitutionQuerySet:
        """Those covering any of `regions` (or an area above them) first, then the rest."""
        covered = [a.pk for chain in Area.objects.chains(regions).values() for a in chain]
        near = Institution.areas.through.objects.filter(
            institution=models.OuterRef("pk"), area__in=covered
        )
        return self.annotate(covers_mine=models.Exists(near)).order_by(
            "-covers_mine", "kind__sort_order", "kana", "name", "id"
        )


class Institution(Audited):
    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(
        InstitutionKind, on_delete=models.PROTECT, related_name="institutions",
        verbose_name=_("種類"),
    )  # fmt: skip
    name = models.CharField(_("名称"), max_length=120)
    kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    hours = models.CharField(_("受付時間"), max_length=200, blank=True)
    helps_with = models.TextField(_("相談できること"), max_length=2000, blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="institutions", verbose_name=_("担当する地域")
    )
    is_public = models.BooleanField(_("公開サイトに載せる"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("専門機関")
        verbose_name_plural = _("専門機関")
        ordering = ["kind__sort_order", "kana", "name", "id"]
        indexes = [models.Index(fields=["municipality", "is_public"], name="inst_muni_public")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("referrals:institution", args=[self.pk])

    @property
    def audit_area(self) -> Area:
        return self.municipality


class InstitutionStaff(Audited):
    """A user who answers referrals for an institution (with the institution-staff role)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_links"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="staff")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("専門機関の職員")
        verbose_name_plural = _("専門機関の職員")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="inststaff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.institution}"

    @property
    def audit_area(self) -> Area:
        return self.institution.municipality


class ReferralPolicy(Audited):
    """A municipality's rules for referrals: how long closed ones keep personal data."""

    municipality = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+")
    retention_years = models.PositiveSmallIntegerField(
        _("個人情報を残す年数（終了後）"), default=DEFAULT_RETENTION_YEARS
    )

    class Meta:
        verbose_name = _("つなぎの保存期間")
        verbose_name_plural = _("つなぎの保存期間")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.retention_years}"

    @property
    def audit_area(self) -> Area:
        return self.municipality


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SENT = "sent", _("送付済み")
    RECEIVED = "received", _("受理")
    IN_PROGRESS = "in_progress", _("対応中")
    CLOSED = "closed", _("終了")
    RETURNED = "returned", _("差し戻し")


FINISHED = frozenset({Status.CLOSED, Status.RETURNED})
# The steps the receiving institution takes, and from where.
ANSWERS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.SENT}),
    Status.IN_PROGRESS: frozenset({Status.SENT, Status.RECEIVED}),
    Status.CLOSED: frozenset({Status.RECEIVED, Status.IN_PROGRESS}),
    Status.RETURNED: frozenset({Status.SENT, Status.RECEIVED, Status.IN_PROGRESS}),
}


class ProblemKind(models.TextChoices):
    """The kind of problem, for statistics; the details are in the encrypted `problem`."""

    CARE = "care", _("介護・介護保険")
    HEALTH = "health", _("健康・医療")
    DEMENTIA = "dementia", _("認知症")
    LIVING = "living", _("生活・お金")
    HOUSING = "housing", _("住まい")
    ISOLATION = "isolation", _("孤立・閉じこもり")
    ABUSE = "abuse", _("虐待・権利擁護")
    OTHER = "other", _("その他")


class Outcome(models.TextChoices):
    SERVICE = "service", _("介護・福祉サービスにつながった")
    ADVICE = "advice", _("相談・助言で解決した")
    OTHER_BODY = "other_body", _("別の機関につないだ")
    DECLINED = "declined", _("本人が支援を望まなかった")
    WITHDRAWN = "withdrawn", _("同意の撤回により終了")
    OTHER = "other", _("その他")


class ConsentBy(models.TextChoices):
    PERSON = "person", _("本人")
    FAMILY = "family", _("家族")
    GUARDIAN = "guardian", _("成年後見人などの代理人")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("書面")
    VERBAL = "verbal", _("口頭（立会人あり）")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def of(self, municipality: Area) -> ReferralQuerySet:
        return self.filter(municipality=municipality)

    def open(self) -> ReferralQuerySet:
        return self.exclude(status__in=FINISHED)

    def identifiable(self) -> ReferralQuerySet:
        return self.filter(anonymised_at__isnull=True)

    def returned(self) -> ReferralQuerySet:
        """Sent back by the institution and not sent again: the sender's turn, to correct it
        and send it again (services.resend). Once anonymised there is nothing left to do."""
        return self.filter(status=Status.RETURNED).identifiable()


class Referral(Audited):
    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("地域")
    )
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals",
        verbose_name=_("もとの困りごと"),
    )  # fmt: skip
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="referrals",
        verbose_name=_("つなぐ先"),
    )  # fmt: skip
    problem_kind = models.CharField(
        _("相談の種類"), max_length=16, choices=ProblemKind.choices, default=ProblemKind.OTHER
    )
    # Personal data: the least that lets the institution reach the person.
    person_name = EncryptedTextField(_("ご本人の名前"))
    person_contact = EncryptedTextField(_("ご本人の連絡先"), blank=True)
    person_address = EncryptedTextField(_("ご本人の住所"), blank=True)
    problem = EncryptedTextField(_("困っていること"))
    tried = EncryptedTextField(_("支え合い会議・SCが試みたこと"), blank=True)
    # Consent (同意): without it a referral cannot be sent (services.send and the constraint).
    consent_by = models.CharField(
        _("同意した人"), max_length=12, choices=ConsentBy.choices, blank=True
    )
    consent_method = models.CharField(
        _("同意の方法"), max_length=12, choices=ConsentMethod.choices, blank=True
    )
    consent_witness = EncryptedTextField(_("立会人の名前（口頭の場合）"), blank=True)
    consent_on = models.DateField(_("同意を得た日"), null=True, blank=True)
    consent_purpose = EncryptedTextField(_("同意を得た目的"), blank=True)
    consent_withdrawn = models.BooleanField(_("同意が撤回された"), default=False)

    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    outcome = models.CharField(_("結果"), max_length=12, choices=Outcome.choices, blank=True)
    sent_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化した日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("送った人"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("つなぎ")
        verbose_name_plural = _("つなぎ")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A referral leaves the draft state only with consent recorded.
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(consent_withdrawn=True)
                | (
                    models.Q(consent_on__isnull=False)
                    & ~models.Q(consent_by="")
                    & ~models.Q(consent_method="")
                ),
                name="referral_sent_needs_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status"], name="referral_area_status"),
            models.Index(fields=["institution", "status"], name="referral_inst_status"),
            models.Index(fields=["status", "finished_at"], name="referral_status_finished"),
        ]

    def __str__(self) -> str:
        # Never the person: __str__ ends up in logs, admin history and error pages.
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("referrals_staff:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"R-{self.pk or 0:06d}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def consent_missing(self) -> list[str]:
        """What of the consent is not recorded yet (empty when it is complete)."""
        missing = []
        if not self.consent_by:
            missing.append(str(_("同意した人")))
        if not self.consent_method:
            missing.append(str(_("同意の方法")))
        elif self.consent_method == ConsentMethod.VERBAL and not self.consent_witness.strip():
            missing.append(str(_("立会人の名前（口頭の場合）")))
        if self.consent_on is None:
            missing.append(str(_("同意を得た日")))
        if not self.consent_purpose.strip():
            missing.append(str(_("同意を得た目的")))
        return missing

    def allowed_answers(self) -> list[tuple[str, str]]:
        if self.is_anonymised:  # left open past the retention period: nothing left to answer
            return []
        return [(s, str(Status(s).label)) for s, src in ANSWERS.items() if self.status in src]


class ReferralEvent(Step, Audited):
    """One dated step of a referral: who took it (Step), on which side, with a note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("この後の状態"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("日時"))
    # The note may speak of the person, so it is encrypted like the referral's own fields.
    note = EncryptedTextField(_("メモ"), blank=True)

    class Meta:
        verbose_name = _("つなぎの経過")
        verbose_name_plural = _("つなぎの経過")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_status_display()}"

    @property
    def audit_area(self) -> Area:
        return self.referral.area


class Notice(NoticeBase):
    """An in-app "there is news" marker for one user and one referral; no content of its own."""

    user = recipient("referral_notices")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        indexes = [models.Index(fields=["user", "read_at"], name="refnotice_user_read")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.referral_id}"


# The referral form on paper lives in its own module; imported here so that Django finds it.
from .paper_models import ReferralSheet  # noqa: E402, F401
