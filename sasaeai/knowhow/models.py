"""Know-how (学び合う): cases (事例) that the SCs write so that other regions learn from them.

A case is written by the SC of its area (a region, a block, the ward), sent for review, and
published by the block or the ward; published, every staff member and council member of the
municipality reads it, and when its audience is "public" residents read it too, without the
names of the people in it and without what is marked internal. The guidebook's five ★
questions are the way in: each case answers one or more of them.

Later parts build on these tables: questions and answers, the forum chart, photos and files
of a case (their own models with a foreign key to Case), sharing across municipalities (a flag
and an approval on Case) and the import of cases from a workbook.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity, Kind
from sasaeai.events.local_models import LocalEvent
from sasaeai.lib import photos
from sasaeai.lib.history import Step
from sasaeai.lib.notices import NoticeBase, recipient
from sasaeai.lib.paths import under
from sasaeai.progress.models import Goal, Initiative, Stage

TITLE_LIMIT = 120
TEXT_LIMIT = 4000  # characters of each written section


class Question(models.TextChoices):
    """The guidebook's five ★ questions (its last page), fixed for every municipality."""

    IDEAS = "ideas", _("みんなはどういう工夫をしているの？")
    KEEP_GOING = "keep_going", _("活動を長く続けていくためにはどうする？")
    MORE_MEMBERS = "more_members", _("もっと参加者（仲間）を増やすにはどうする？")
    SPREAD = "spread", _("まだ知らない人にどうやって広める？")
    CONNECT = "connect", _("それぞれの活動をつなげてみたら？")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    REVIEW = "review", _("確認をお願いしています")
    PUBLISHED = "published", _("公開中")


class Audience(models.TextChoices):
    STAFF = "staff", _("職員と支え合い会議のメンバーだけ")
    PUBLIC = "public", _("住民のページにも載せる")


# The themes a municipality starts with; its staff add their own (Theme).
DEFAULT_THEMES = [
    "担い手", "居場所", "移動", "見守り", "買い物", "防災", "認知症", "食事", "情報発信",
]  # fmt: skip


class ThemeQuerySet(models.QuerySet["Theme"]):
    def of(self, municipality: Area) -> ThemeQuerySet:
        return self.filter(municipality=municipality)

    def shown(self) -> ThemeQuerySet:
        """Those offered for new tags and filters (a hidden theme stays on what it tags)."""
        return self.filter(hidden=False)


class Theme(Audited):
    """A theme a case is about (担い手, 居場所, 移動 …), kept per municipality."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("テーマ"), max_length=40)
    sort_order = models.PositiveIntegerField(_("並び順"), default=0)
    # Hidden: no longer offered, kept on the cases and questions it tags (a theme in use is
    # never deleted).
    hidden = models.BooleanField(_("使わない（隠す）"), default=False)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("事例のテーマ")
        verbose_name_plural = _("事例のテーマ")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="theme_name_per_muni")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality


class ShareState(models.TextChoices):
    """Where a case or a question stands in being shared with the other municipalities of the
    installation (sharing_services.py)."""

    NONE = "none", _("共有していない")
    ASKED = "asked", _("共有を申請中")
    APPROVED = "approved", _("他の自治体に共有中")
    REFUSED = "refused", _("共有を見送り")
    WITHDRAWN = "withdrawn", _("共有をやめた")


class Shareable(models.Model):
    """Sharing beyond the municipality (issue 27): asked for by the writer (or the asker, or
    the ward), approved or refused, with a reason, by the ward; withdrawn by either. Others
    read only an approved one, and only while it stays published (a case) or shown (a
    question): save() withdraws the sharing of one that no longer is."""

    share_state = models.CharField(
        _("他の自治体との共有"), max_length=10, choices=ShareState.choices,
        default=ShareState.NONE,
    )  # fmt: skip
    share_asked_at = models.DateTimeField(_("共有を申請した日時"), null=True, blank=True)
    share_asked_by_name = models.CharField(_("共有を申請した人"), max_length=100, blank=True)
    share_decided_at = models.DateTimeField(_("共有を判断した日時"), null=True, blank=True)
    share_decided_by_name = models.CharField(_("共有を判断した人"), max_length=100, blank=True)
    share_refused_reason = models.CharField(_("共有を見送った理由"), max_length=300, blank=True)
    share_withdrawn_at = models.DateTimeField(_("共有をやめた日時"), null=True, blank=True)
    share_withdrawn_by_name = models.CharField(_("共有をやめた人"), max_length=100, blank=True)

    SHARE_FIELDS = ("share_state", "share_withdrawn_at", "share_withdrawn_by_name")

    class Meta:
        abstract = True

    @property
    def is_shared(self) -> bool:
        return self.share_state == ShareState.APPROVED

    @property
    def share_active(self) -> bool:
        """Asked for or approved: what unpublishing or hiding withdraws."""
        return self.share_state in (ShareState.ASKED, ShareState.APPROVED)

    def _withdraw_if(self, still_shown: bool, kwargs: dict[str, Any]) -> None:
        if still_shown:
            return
        if not self.share_active:
            # A copy loaded before it was shared still withdraws what is stored.
            active = (ShareState.ASKED, ShareState.APPROVED)
            stored = type(self)._default_manager.filter(pk=self.pk, share_state__in=active)
            if self.pk is None or not stored.exists():
                return
        self.share_state = ShareState.WITHDRAWN
        self.share_withdrawn_at = timezone.now()
        self.share_withdrawn_by_name = ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SHARE_FIELDS}


class CaseQuerySet(models.QuerySet["Case"]):
    def of(self, municipality: Area) -> CaseQuerySet:
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> CaseQuerySet:
        return self.filter(under(area.path, "area__path"))

    def published(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.PUBLISHED)

    def public(self) -> CaseQuerySet:
        """Published for residents as well."""
        return self.published().filter(audience=Audience.PUBLIC)

    def in_review(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.REVIEW)

    def asked_to_share(self) -> CaseQuerySet:
        """Waiting for the ward to approve or refuse sharing it beyond the municipality."""
        return self.filter(share_state=ShareState.ASKED)

    def answering(self, question: str) -> CaseQuerySet:
        """Those tagged with the ★ question: their ids read once from the tag's lookup index
        (a join looked each case of a list up in it: 1.7 times the cost at 10,000 cases)."""
        return self.filter(pk__in=CaseQuestion.objects.filter(question=question).values("case"))

    def taking(self, initiative: str) -> CaseQuerySet:
        """The cases tagged with one of the guidebook's initiatives (取組み)."""
        return self.filter(
            pk__in=CaseInitiative.objects.filter(initiative=initiative).values("case")
        )

    def most_useful(self) -> CaseQuerySet:
        """Most marked useful first, then the newest."""
        return self.order_by("-useful_count", "-happened_on", "-pk")

    def newest(self) -> CaseQuerySet:
        return self.order_by("-happened_on", "-pk")


class Case(Shareable, Audited):
    """A case (事例): what a region (or block, or the ward) did, how, and what came of it."""

    audit_exclude = frozenset({"updated_at", "search_tokens", "useful_count", "view_count"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="knowhow_cases", verbose_name=_("地域")
    )
    title = models.CharField(_("題名"), max_length=TITLE_LIMIT)
    happened_on = models.DateField(_("いつの取組か"))
    # The data box: the area's figures when the case happened. The 65+ population comes from
    # the progress app where it holds the area's figure (services.fill_figures).
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    aged_65_up = models.PositiveIntegerField(_("65歳以上の人口"), null=True, blank=True)
    ageing_rate = models.DecimalField(
        _("高齢化率（％）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    figures_as_of = models.DateField(_("数字の時点"), null=True, blank=True)
    background = models.TextField(_("きっかけ・課題"), max_length=TEXT_LIMIT, blank=True)
    steps = models.TextField(_("取組"), max_length=TEXT_LIMIT, blank=True)
    results = models.TextField(_("結果"), max_length=TEXT_LIMIT, blank=True)
    tips = models.TextField(_("工夫・ポイント"), max_length=TEXT_LIMIT, blank=True)
    next_challenges = models.TextField(_("今後の課題"), max_length=TEXT_LIMIT, blank=True)
    # Read by staff only: never on the public page, never in the search words.
    internal_note = models.TextField(_("内部メモ"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    audience = models.CharField(
        _("公開の範囲"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    stage = models.PositiveSmallIntegerField(_("段階"), choices=Stage.choices)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="cases", verbose_name=_("テーマ")
    )
    kinds = models.ManyToManyField(Kind, blank=True, related_name="+", verbose_name=_("活動の種類"))
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="knowhow_cases", verbose_name=_("関係する活動")
    )
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="knowhow_cases", verbose_name=_("関係する会議")
    )
    local_events = models.ManyToManyField(
        LocalEvent, blank=True, related_name="knowhow_cases", verbose_name=_("関係する催し")
    )
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="knowhow_cases", verbose_name=_("関係する目標")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("書いた人"), max_length=100, blank=True)
    # Kept on the row, so that a list orders by it without counting marks.
    useful_count = models.PositiveIntegerField(_("役に立った"), default=0)
    view_count = models.PositiveIntegerField(_("見られた回数"), default=0)
    search_tokens = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("事例")
        verbose_name_plural = _("事例")
        ordering = ["-happened_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "-happened_on"], name="case_listing"),
            models.Index(fields=["share_state", "-happened_on"], name="case_shared"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .search import case_tokens  # search reads this module's fields

        self.municipality = self.area.municipality or self.area
        self.search_tokens = case_tokens(self)
        self._withdraw_if(self.status == CaseStatus.PUBLISHED, kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_tokens", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("knowhow_staff:case", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.is_published and self.audience == Audience.PUBLIC

    @property
    def computed_rate(self) -> Decimal | None:
        """The ageing rate as typed, else from the two populations when both are known."""
        if self.ageing_rate is not None:
            return self.ageing_rate
        if self.population and self.aged_65_up is not None:
            return (Decimal(self.aged_65_up * 100) / Decimal(self.population)).quantize(
                Decimal("0.1")
            )
        return None

    @property
    def has_figures(self) -> bool:
        return any(v is not None for v in (self.population, self.aged_65_up, self.ageing_rate))

    def question_labels(self) -> list[str]:
        """The ★ questions it answers, in the guidebook's order (from prefetched rows)."""
        held = {q.question for q in self.questions.all()}
        return [str(label) for value, label in Question.choices if value in held]

    def initiative_labels(self) -> list[str]:
        """The guidebook's initiatives it is tagged with, in the guidebook's order."""
        held = {i.initiative for i in self.initiatives.all()}
        return [str(label) for value, label in Initiative.choices if value in held]


class CaseQuestion(models.Model):
    """That a case answers one of the five ★ questions (a tag fixed by the guidebook)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("★の問い"), max_length=20, choices=Question.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="case_question_once")
        ]
        indexes = [models.Index(fields=["question", "case"], name="case_question_lookup")]

    def __str__(self) -> str:
        return self.get_question_display()


class CaseInitiative(models.Model):
    """That a case is about one of the guidebook's initiatives (支え合い会議の“3つの取組み”)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="initiatives")
    initiative = models.CharField(_("取組み"), max_length=12, choices=Initiative.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "initiative"], name="case_initiative_once")
        ]
        indexes = [models.Index(fields=["initiative", "case"], name="case_initiative_lookup")]

    def __str__(self) -> str:
        return self.get_initiative_display()


class Voice(Audited):
    """A voice of someone involved (関係者の声): their role always; their name only with their
    consent, and then on the staff pages only (the public page never names anyone)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="voices")
    role = models.CharField(_("立場"), max_length=60, help_text=_("例：サロンの代表、民生委員"))
    name = models.CharField(_("名前"), max_length=60, blank=True)
    name_consent = models.BooleanField(_("名前を載せることに本人が同意している"), default=False)
    words = models.TextField(_("声"), max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("関係者の声")
        verbose_name_plural = _("関係者の声")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.role  # never the name: __str__ ends up in logs

    @property
    def audit_area(self) -> Area:
        return self.case.area

    @property
    def shown_name(self) -> str:
        """The name, where its owner agreed to it being shown (staff pages only)."""
        return self.name if self.name_consent else ""


class UsefulMark(models.Model):
    """One staff member's "役に立った" on a case: once per person (a second tap adds nothing)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="useful_once")]

    def __str__(self) -> str:
        return f"{self.case_id} useful"


class CaseComment(Audited):
    """A word on a case under review: what the block or the ward asks to change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("書いた人"), max_length=100)
    text = models.TextField(_("コメント"), max_length=2000)
    created_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("事例へのコメント")
        verbose_name_plural = _("事例へのコメント")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def audit_area(self) -> Area:
        return self.case.area


class CaseStep(Step, Audited):
    """One dated step of a case's history: saved, sent, returned, published."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    status = models.CharField(_("この後の状態"), max_length=10, choices=CaseStatus.choices)
    note = models.CharField(_("できごと"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("事例の歩み")
        verbose_name_plural = _("事例の歩み")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d} {self.status}"

    @property
    def audit_area(self) -> Area:
        return self.case.area


class Notice(NoticeBase):
    """A case sent for review (to its reviewers), or returned or published (to its writers)."""

    user = recipient("knowhow_notices")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        verbose_name = _("事例のお知らせ")
        verbose_name_plural = _("事例のお知らせ")


# Photos and files of a case ------------------------------------------------------------------

PHOTOS_A_CASE = 6
FILES_A_CASE = 5


class CasePhoto(Audited):
    """A photo of a case: the JPEG made by lib/photos.py (upright, no EXIF, random name).

    Staff who read the case see every photo; the public page shows only those whose people
    agreed to be shown (`consent`) and that are not marked internal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("写真"), upload_to="knowhow/photos/%Y/")
    caption = models.CharField(_("写真の説明"), max_length=100, blank=True)
    consent = models.BooleanField(_("写っている人が、載せることに同意している"), default=False)
    internal = models.BooleanField(_("職員だけに見せる（内部）"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    added_at = models.DateTimeField(_("追加した日時"), default=timezone.now)

    class Meta:
        verbose_name = _("事例の写真")
        verbose_name_plural = _("事例の写真")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.caption or str(_("事例の写真"))

    @property
    def audit_area(self) -> Area:
        return self.case.area

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.image.name or "").name

    @property
    def is_public(self) -> bool:
        """Shown on the public page (when the case itself is public)."""
        return self.consent and not self.internal

    @property
    def url(self) -> str:
        return reverse("knowhow_staff:photo", args=[self.case_id, self.pk, self.file_name])

    @property
    def public_url(self) -> str:
        return reverse("knowhow:photo", args=[self.case_id, self.pk, self.file_name])


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (.xlsx)"


class CaseFile(Audited):
    """A file of a case (a PDF or an .xlsx, checked by its content), downloaded by the staff
    who read the case; stored under a random name, handed out under the name it came with."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("資料名"), max_length=100)
    file = models.FileField(_("ファイル"), upload_to="knowhow/files/%Y/", max_length=200)
    original_name = models.CharField(_("元のファイル名"), max_length=200)
    kind = models.CharField(_("種類"), max_length=4, choices=FileKind.choices)
    size = models.PositiveIntegerField(_("大きさ（バイト）"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    added_at = models.DateTimeField(_("追加した日時"), default=timezone.now)

    class Meta:
        verbose_name = _("事例の資料")
        verbose_name_plural = _("事例の資料")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_area(self) -> Area:
        return self.case.area


@receiver(post_delete, sender=CasePhoto)
def _delete_photo_file(sender: type, instance: CasePhoto, **kw: Any) -> None:
    photos.delete_later(instance.image.storage, instance.image.name or "")


@receiver(post_delete, sender=CaseFile)
def _delete_case_file(sender: type, instance: CaseFile, **kw: Any) -> None:
    photos.delete_later(instance.file.storage, instance.file.name or "")


# Questions and answers (学び合う) -------------------------------------------------------------
#
# An SC, the block, the ward or a council member asks; others of the municipality answer; the
# asker marks the answer that helped. Tagged like cases (the ★ questions, themes, kinds, the
# stage), so that people who follow a tag hear of new ones. A question is open to the whole
# municipality, or, asked by a block SC as a joint review (類似する地域課題のケース検討), to
# the regions of that block only (`block`).


class AskedQuestionQuerySet(models.QuerySet["AskedQuestion"]):
    def of(self, municipality: Area) -> AskedQuestionQuerySet:
        return self.filter(municipality=municipality)

    def shown(self) -> AskedQuestionQuerySet:
        """Not hidden by the block or the ward."""
        return self.filter(hidden_at__isnull=True)

    def for_block(self, block: Area) -> AskedQuestionQuerySet:
        return self.filter(block=block)

    def asked_to_share(self) -> AskedQuestionQuerySet:
        """Waiting for the ward to approve or refuse sharing it beyond the municipality."""
        return self.filter(share_state=ShareState.ASKED)

    def answering(self, question: str) -> AskedQuestionQuerySet:
        """As the cases': the ids read once from the tag's lookup index."""
        return self.filter(pk__in=AskedStar.objects.filter(star=question).values("question"))

    def newest(self) -> AskedQuestionQuerySet:
        return self.order_by("-created_at", "-pk")

    def most_useful(self) -> AskedQuestionQuerySet:
        """Those with an answer that helped first, then the most answered, then the newest."""
        return self.order_by(
            models.F("helpful_answer").desc(nulls_last=True), "-answer_count", "-created_at", "-pk"
        )

    def for_rows(self) -> AskedQuestionQuerySet:
        return self.select_related("area", "block").prefetch_related("themes", "stars")


class AskedQuestion(Shareable, Audited):
    """A question (質問) one person asks the others of their municipality (or of their block)."""

    audit_exclude = frozenset({"updated_at", "search_tokens", "answer_count"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="knowhow_questions",
        verbose_name=_("質問した人の地域"),
    )  # fmt: skip
    # Set: a joint review of this block, seen only by its regions (and the ward above it).
    block = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ブロックの合同検討"),
    )  # fmt: skip
    title = models.CharField(_("質問の題名"), max_length=TITLE_LIMIT)
    text = models.TextField(_("質問の中身"), max_length=TEXT_LIMIT)
    stage = models.PositiveSmallIntegerField(
        _("段階"), choices=Stage.choices, null=True, blank=True
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="asked_questions", verbose_name=_("テーマ")
    )
    kinds = models.ManyToManyField(Kind, blank=True, related_name="+", verbose_name=_("活動の種類"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("質問した人"), max_length=100, blank=True)
    helpful_answer = models.ForeignKey(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("役に立った回答"),
    )  # fmt: skip
    # Kept on the row (answers not hidden), so that a list orders by it without counting.
    answer_count = models.PositiveIntegerField(_("回答の数"), default=0)
    hidden_at = models.DateTimeField(_("非表示にした日時"), null=True, blank=True)
    hidden_reason = models.CharField(_("非表示の理由"), max_length=300, blank=True)
    hidden_by_name = models.CharField(_("非表示にした人"), max_length=100, blank=True)
    search_tokens = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("質問した日時"), default=timezone.now)
    edited_at = models.DateTimeField(_("書き直した日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = AskedQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-created_at"], name="asked_listing"),
            models.Index(fields=["share_state", "-created_at"], name="asked_shared"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .search import question_tokens  # search reads this module's fields

        self.municipality = self.area.municipality or self.area
        self.search_tokens = question_tokens(self)
        # Hidden, or turned into a block's joint review: no longer for other municipalities.
        self._withdraw_if(self.hidden_at is None and self.block_id is None, kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_tokens", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("knowhow_staff:question", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def star_labels(self) -> list[str]:
        """The ★ questions it asks about, in the guidebook's order (from prefetched rows)."""
        held = {s.star for s in self.stars.all()}
        return [str(label) for value, label in Question.choices if value in held]


class AskedStar(models.Model):
    """That a question is about one of the five ★ questions."""

    question = models.ForeignKey(AskedQuestion, on_delete=models.CASCADE, related_name="stars")
    star = models.CharField(_("★の問い"), max_length=20, choices=Question.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "star"], name="asked_star_once")]
        indexes = [models.Index(fields=["star", "question"], name="asked_star_lookup")]

    def __str__(self) -> str:
        return self.get_star_display()


class Answer(Audited):
    """An answer to a question, which may cite published cases (事例)."""

    audit_exclude = frozenset({"updated_at"})

    question = models.ForeignKey(AskedQuestion, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("答えた人の地域")
    )
    text = models.TextField(_("回答"), max_length=TEXT_LIMIT)
    cases = models.ManyToManyField(
        Case, blank=True, related_name="citing_answers", verbose_name=_("紹介する事例")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("答えた人"), max_length=100, blank=True)
    hidden_at = models.DateTimeField(_("非表示にした日時"), null=True, blank=True)
    hidden_reason = models.CharField(_("非表示の理由"), max_length=300, blank=True)
    hidden_by_name = models.CharField(_("非表示にした人"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("答えた日時"), default=timezone.now)
    edited_at = models.DateTimeField(_("書き直した日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question_id} answer"  # never the words: __str__ ends up in logs

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Follow(models.Model):
    """A tag a person follows, to hear of new questions and answers under it: `tag` is
    "star:<★ value>", "theme:<id>", "kind:<id>" or "stage:<n>" (questions.tags_of)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowhow_follows"
    )
    municipality = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "tag"], name="follow_once")
        ]
        indexes = [models.Index(fields=["municipality", "tag"], name="follow_lookup")]

    def __str__(self) -> str:
        return self.tag


class QuestionNotice(NoticeBase):
    """A new question, or a new answer, under a tag one follows (or to one's own question)."""

    user = recipient("knowhow_question_notices")
    question = models.ForeignKey(AskedQuestion, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        verbose_name = _("質問のお知らせ")
        verbose_name_plural = _("質問のお知らせ")


# The forum chart (助け合い見える化チャート) -------------------------------------------------
#
# At a forum or a council meeting the facilitator asks the room, for four kinds of activity,
# who has one nearby (ある), who would like one (欲しい) and who would take part (参加したい),
# and tallies the hands on a tablet. The chart is kept with its region (and meeting), so that
# the next session is compared with the earlier ones. Closed, it no longer changes.


class ChartRow(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("地縁組織")
    GATHERING = "gathering", _("居場所")
    VOLUNTEER = "volunteer", _("無償ボランティア")
    PAID = "paid", _("有償ボランティア")


class ChartAnswer(models.TextChoices):
    HAVE = "have", _("ある")
    WANT = "want", _("欲しい")
    JOIN = "join", _("参加したい")


class ForumChartQuerySet(models.QuerySet["ForumChart"]):
    def of(self, municipality: Area) -> ForumChartQuerySet:
        return self.filter(under(municipality.path, "area__path"))

    def open(self) -> ForumChartQuerySet:
        return self.filter(closed_at__isnull=True)

    def earlier_than(self, chart: ForumChart) -> ForumChartQuerySet:
        """The same region's sessions before this one, oldest first."""
        before = models.Q(held_on__lt=chart.held_on) | models.Q(
            held_on=chart.held_on, pk__lt=chart.pk
        )
        return self.filter(before, area_id=chart.area_id).order_by("held_on", "pk")


class ForumChart(Audited):
    """One session's chart: a region's, at a forum or at one of its council's meetings."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="forum_charts", verbose_name=_("地域")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_charts",
        verbose_name=_("支え合い会議の会議"),
    )  # fmt: skip
    title = models.CharField(_("題名"), max_length=TITLE_LIMIT)
    held_on = models.DateField(_("開いた日"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("締め切った日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    objects = ForumChartQuerySet.as_manager()

    class Meta:
        verbose_name = _("見える化チャート")
        verbose_name_plural = _("見える化チャート")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["area", "held_on"], name="forum_chart_by_area")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowhow_staff:chart", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ChartCell(models.Model):
    """The count of one cell (a kind of activity × an answer) of a chart, never below 0."""

    chart = models.ForeignKey(ForumChart, on_delete=models.CASCADE, related_name="cells")
    row = models.CharField(max_length=20, choices=ChartRow.choices)
    answer = models.CharField(max_length=10, choices=ChartAnswer.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chart", "row", "answer"], name="chart_cell_once"),
        ]

    def __str__(self) -> str:
        return f"{self.chart_id} {self.row} {self.answer}"


class ChartTap(models.Model):
    """One tap of the tally (+1 or an undo), by the token its button carried: the same
    token sent twice (a double tap, a resent form) is one tap."""

    chart = models.ForeignKey(ForumChart, on_delete=models.CASCADE, related_name="taps")
    token = models.UUIDField()
    row = models.CharField(max_length=20, choices=ChartRow.choices)
    answer = models.CharField(max_length=10, choices=ChartAnswer.choices)
    change = models.SmallIntegerField()  # +1, -1, or 0 for an undo at 0
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chart", "token"], name="chart_tap_once"),
        ]

    def __str__(self) -> str:
        return f"{self.chart_id} {self.row} {self.answer} {self.change:+d}"
