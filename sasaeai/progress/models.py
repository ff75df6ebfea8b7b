"""Each region's own route up the mountain (山登り): goals per 年度, their milestones, comments
from the block and the ward, and the history of each goal.

A goal is set in one 年度 and stays on the region's route, year after year, until it is
reached: carrying it over is a query (`GoalQuerySet.in_year`), never a copy, so its milestones,
comments and history come with it. Figures over the years are counted by the apps that hold the
records (lib/indicators.py); nothing here duplicates them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Decision, Minutes
from sasaeai.directory.models import Activity
from sasaeai.lib.history import Step
from sasaeai.lib.paths import under
from sasaeai.needs.models import Helper, Need


class Initiative(models.TextChoices):
    """The guidebook's three initiatives and their items (支え合い会議の“3つの取組み”)."""

    TSUNAGERU = "tsunageru", _("つなげる（活動の見える化・情報発信）")
    TSUNAGARU = "tsunagaru", _("つながる（活動者同士のネットワークづくり）")
    NAKAMA = "nakama", _("仲間探し（活動の仲間づくりの支援）")
    SHIRU = "shiru", _("知る・調べる（地域ニーズや困りごとの把握）")
    TAIKEN = "taiken", _("体験・呼びかけ（地域との協働・企画）")
    KIKAN = "kikan", _("つながる（関係機関のネットワークづくり）")


# The three initiatives, each with its items, in the guidebook's order.
INITIATIVE_GROUPS = [
    (_("高齢者の参加促進"), [Initiative.TSUNAGERU, Initiative.TSUNAGARU, Initiative.NAKAMA]),
    (_("支え合い活動の充実・強化・推進"), [Initiative.SHIRU, Initiative.TAIKEN]),
    (_("その他支え合いの仕組みづくり"), [Initiative.KIKAN]),
]


class Stage(models.IntegerChoices):
    """The stages of the climb, from the foot of the mountain."""

    SETUP = 1, _("① 体制づくり")
    DIG = 2, _("② ニーズと担い手の掘り起こし")
    CREATE = 3, _("③ 助け合い創出")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("これから")
    UNDERWAY = "underway", _("取り組み中")
    REACHED = "reached", _("達成")
    REVIEW = "review", _("見直し")


class GoalQuerySet(models.QuerySet["Goal"]):
    def of(self, municipality: Area) -> GoalQuerySet:
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> GoalQuerySet:
        return self.filter(under(area.path, "area__path"))

    def in_year(self, year: int) -> GoalQuerySet:
        """The goals on the route in 年度 `year`: set then or before, and not reached before it
        (a goal reached in `year` is still shown in `year`, as reached)."""
        return self.filter(started_year__lte=year).filter(
            models.Q(reached_year__isnull=True) | models.Q(reached_year__gte=year)
        )

    def shown_publicly(self) -> GoalQuerySet:
        return self.filter(public=True)


class Goal(Audited):
    """What a region set out to do, why, under which initiative and at which stage."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="goals", verbose_name=_("地域")
    )
    started_year = models.PositiveSmallIntegerField(_("目標を立てた年度"))
    reached_year = models.PositiveSmallIntegerField(_("達成した年度"), null=True, blank=True)
    title = models.CharField(_("目標"), max_length=120)
    why = models.TextField(_("なぜ（もとになった困りごと・声）"), max_length=1000, blank=True)
    initiative = models.CharField(_("取組み"), max_length=12, choices=Initiative.choices)
    stage = models.PositiveSmallIntegerField(_("段階"), choices=Stage.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    review_reason = models.CharField(_("見直しの理由"), max_length=300, blank=True)
    public = models.BooleanField(
        _("公開ページに載せる"),
        default=False,
        help_text=_("支え合い会議で公開すると決めた目標だけ"),
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals",
        verbose_name=_("目標を決めた会議の決定"),
    )  # fmt: skip
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="goals", verbose_name=_("生まれた活動")
    )
    needs = models.ManyToManyField(
        Need, blank=True, related_name="goals", verbose_name=_("取り組んだ困りごと")
    )
    helpers = models.ManyToManyField(
        Helper, blank=True, related_name="goals", verbose_name=_("見つかった担い手")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域の目標")
        verbose_name_plural = _("地域の目標")
        ordering = ["stage", "started_year", "pk"]
        indexes = [models.Index(fields=["area", "started_year"], name="goal_area_year")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reached_year__isnull=True)
                | models.Q(reached_year__gte=models.F("started_year")),
                name="goal_reached_after_started",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("progress_staff:goal", args=[self.pk])

    def carried_over(self, year: int) -> bool:
        """Set in an earlier 年度 and still on the route in `year`."""
        return self.started_year < year


class Milestone(Audited):
    """A station on the way to a goal: what, by when, and when it was reached (and in which
    minutes it was reported, when ticked from the minutes page)."""

    audit_exclude = frozenset({"updated_at"})

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("通過点"), max_length=120)
    due_on = models.DateField(_("いつまでに"), null=True, blank=True)
    reached_on = models.DateField(_("達成した日"), null=True, blank=True)
    minutes = models.ForeignKey(
        Minutes, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
        verbose_name=_("報告した議事録"),
    )  # fmt: skip
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通過点")
        verbose_name_plural = _("通過点")
        ordering = ["position", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_area(self) -> Area:
        return self.goal.area

    @property
    def reached(self) -> bool:
        return self.reached_on is not None


class GoalComment(Audited):
    """A word on a goal from the block or the ward (or the region's own SC)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("書いた人"), max_length=100)
    text = models.TextField(_("コメント"), max_length=1000)
    created_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("目標へのコメント")
        verbose_name_plural = _("目標へのコメント")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def audit_area(self) -> Area:
        return self.goal.area


class GoalStep(Step, Audited):
    """One dated step of a goal's history: set, status changed, milestone reached, carried."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("この後の状態"), max_length=10, choices=GoalStatus.choices)
    note = models.CharField(_("できごと"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("目標の歩み")
        verbose_name_plural = _("目標の歩み")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.goal} {self.at:%Y-%m-%d} {self.status}"

    @property
    def audit_area(self) -> Area:
        return self.goal.area


class Participation(Audited):
    """Figures only people know, entered once per 年度 for one activity: how many distinct
    people took part in the reference month (参加者実人数), and, where known, by sex, by age
    group and per session. "Not known" is left empty, never zero."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participations", verbose_name=_("活動")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    month = models.DateField(_("基準の月"), help_text=_("その月の1日（3月が望ましい）"))
    participants = models.PositiveIntegerField(_("参加者実人数"))
    men = models.PositiveIntegerField(_("うち男性"), null=True, blank=True)
    women = models.PositiveIntegerField(_("うち女性"), null=True, blank=True)
    aged_65_74 = models.PositiveIntegerField(_("うち65〜74歳"), null=True, blank=True)
    aged_75_up = models.PositiveIntegerField(_("うち75歳以上"), null=True, blank=True)
    per_session = models.PositiveIntegerField(_("1回あたりの参加者数"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("参加者数")
        verbose_name_plural = _("参加者数")
        ordering = ["fiscal_year", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "fiscal_year"], name="one_count_a_year"),
            models.CheckConstraint(
                condition=models.Q(men__isnull=True) | models.Q(women__isnull=True)
                | models.Q(participants__gte=models.F("men") + models.F("women")),
                name="participation_sexes_within_total",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.activity} {self.fiscal_year}: {self.participants}"

    @property
    def audit_area(self) -> Area:
        return self.activity.area


class PopulationSource(models.TextChoices):
    TYPED = "typed", _("入力")
    IMPORTED = "imported", _("町丁目別の表から取り込み")


class Population(Audited):
    """A region's population aged 65 and over in a 年度, the denominator of 参加率."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="populations", verbose_name=_("地域")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    aged_65_up = models.PositiveIntegerField(_("65歳以上の人口"))
    as_of = models.DateField(_("いつの人口か"))
    source = models.CharField(
        _("出どころ"), max_length=10, choices=PopulationSource.choices,
        default=PopulationSource.TYPED,
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("65歳以上の人口")
        verbose_name_plural = _("65歳以上の人口")
        ordering = ["fiscal_year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "fiscal_year"], name="one_population_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.fiscal_year}: {self.aged_65_up}"


class YearClosureQuerySet(models.QuerySet["YearClosure"]):
    def in_force(self) -> YearClosureQuerySet:
        return self.filter(reopened_at__isnull=True)


class YearClosure(Audited):
    """A 年度 closed by the ward: its figures frozen as they were that day (`figures`: area
    path → indicator key (and part) → value), so later edits do not rewrite history. The ward
    may reopen it; the row stays, with who reopened it and when, and closing again adds one."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    closed_at = models.DateTimeField(_("締めた日時"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    figures = models.JSONField(_("締めたときの数字"), default=dict)
    reopened_at = models.DateTimeField(_("開け直した日時"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reopen_reason = models.CharField(_("開け直す理由"), max_length=300, blank=True)

    objects = YearClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度の締め")
        verbose_name_plural = _("年度の締め")
        ordering = ["fiscal_year", "closed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year"],
                condition=models.Q(reopened_at__isnull=True),
                name="one_closure_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}"

    @property
    def audit_area(self) -> Area:
        return self.municipality
