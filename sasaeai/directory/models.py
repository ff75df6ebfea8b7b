"""The activity directory (支え合い活動), modelled to map onto HSDS 3.1.

HSDS           sasaeai
organization   Organization (the organising group)
service        Activity
location       Place (with its address; service_at_location is Place.activity)
schedule       Schedule
taxonomy_term  Kind (two taxonomies: what it does / what kind of group runs it)
contact/phone  Activity.contact_* (public only when the organiser agreed)
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from django.db import models, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from . import search


class Facet(models.TextChoices):
    ACTIVITY = "activity", _("活動の内容")
    ORGANISER = "organiser", _("運営する団体の種類")


# Bits of Activity.kind_bits a municipality's kinds can have (a signed 64-bit integer).
KIND_BITS = 63


class KindQuerySet(models.QuerySet["Kind"]):
    def of(self, municipality: Area) -> KindQuerySet:
        return self.filter(municipality=municipality)


class Kind(Audited):
    """A term of the municipality's editable activity taxonomy (HSDS taxonomy_term)."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    facet = models.CharField(_("分類"), max_length=16, choices=Facet.choices)
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    kana = models.CharField(_("よみがな"), max_length=120, blank=True)
    description = models.CharField(_("説明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("並び順"), default=0)
    # This kind's bit in Activity.kind_bits, given once when the kind is made and never
    # given again; None once a municipality has used all KIND_BITS (its filter then reads
    # the links instead).
    bit = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    objects = KindQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動の種類")
        verbose_name_plural = _("活動の種類")
        ordering = ["facet", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="kind_code_per_muni"),
            models.UniqueConstraint(fields=["municipality", "bit"], name="kind_bit_per_muni"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.bit is None:
            used = Kind.objects.filter(municipality_id=self.municipality_id)
            highest = used.aggregate(n=models.Max("bit"))["n"]
            following = 0 if highest is None else highest + 1
            self.bit = following if following < KIND_BITS else None
        super().save(*args, **kwargs)

    @property
    def mask(self) -> int | None:
        """Its bit in Activity.kind_bits as a number, if it has one."""
        return None if self.bit is None else 1 << self.bit

    @property
    def audit_area(self) -> Area:
        return self.municipality


class Organization(Audited):
    """The group that organises activities (HSDS organization)."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("団体名"), max_length=120)
    kana = models.CharField(_("よみがな"), max_length=240, blank=True)
    description = models.TextField(_("団体の説明"), blank=True)
    website = models.URLField(_("ホームページ"), blank=True)

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["kana", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="org_name_per_muni")
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    IN_REVIEW = "in_review", _("確認待ち")
    PUBLISHED = "published", _("公開中")
    PAUSED = "paused", _("休止中")
    ENDED = "ended", _("終了")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公開（だれでも見られる）")
    STAFF = "staff", _("職員のみ（公開しない）")


# Which status changes staff may make, and what the button says.
TRANSITIONS: dict[str, dict[str, Any]] = {
    Status.IN_REVIEW: {"from": {Status.DRAFT}, "label": _("確認を依頼する")},
    Status.PUBLISHED: {
        "from": {Status.DRAFT, Status.IN_REVIEW, Status.PAUSED},
        "label": _("公開する"),
    },
    Status.PAUSED: {"from": {Status.PUBLISHED}, "label": _("休止にする")},
    Status.ENDED: {
        "from": {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, Status.PAUSED},
        "label": _("終了にする"),
    },
}
STALE_AFTER = dt.timedelta(days=365)


class ActivityQuerySet(models.QuerySet["Activity"]):
    def public(self) -> ActivityQuerySet:
        """What residents may see: published, and not kept staff-only."""
        return self.filter(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)

    def of(self, municipality: Area) -> ActivityQuerySet:
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> ActivityQuerySet:
        """Activities of the area and of every area below it. The areas are looked up first
        (a few dozen at most), so that an index on the activity's area leads: matched on the
        joined area's path instead, PostgreSQL read the activities of all 1,173 areas of a
        nationwide installation to show one region's page (286 ms instead of a few)."""
        areas = Area.objects.within(area).values_list("pk", flat=True)
        return self.filter(area_id__in=list(areas))

    def live(self) -> ActivityQuerySet:
        return self.exclude(status=Status.ENDED)

    def needs_confirming(self, today: dt.date | None = None) -> ActivityQuerySet:
        """Running activities nobody has confirmed for 12 months."""
        limit = (today or timezone.localdate()) - STALE_AFTER
        return self.live().filter(
            models.Q(last_confirmed__lt=limit) | models.Q(last_confirmed__isnull=True)
        )


def delete_photo_later(name: str) -> None:
    """Delete a photo file once the transaction that dropped it commits (at once outside
    one): a rollback keeps the row pointing at it, so the file stays."""
    if name:
        storage = Activity._meta.get_field("photo").storage  # type: ignore[union-attr]
        transaction.on_commit(lambda: storage.delete(name), robust=True)


class Activity(Audited):
    """A support activity (HSDS service): a salon, a watch-over group, shopping together…"""

    audit_exclude = frozenset({"updated_at", "search_text", "search_tokens", "kind_bits"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="activities", verbose_name=_("地域")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("運営する団体"),
    )
    name = models.CharField(_("活動名"), max_length=120)
    kana = models.CharField(_("活動名のよみがな"), max_length=240, blank=True)
    description = models.TextField(_("活動の内容"), blank=True)
    kinds = models.ManyToManyField(Kind, related_name="activities", verbose_name=_("種類"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("公開範囲"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    fee = models.CharField(_("参加費"), max_length=100, blank=True)
    is_free = models.BooleanField(_("無料"), default=False)
    audience = models.CharField(_("対象（どなた向けか）"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    welcomes_newcomers = models.BooleanField(_("初めての方歓迎"), default=True)
    how_to_join = models.TextField(_("参加のしかた"), blank=True)
    step_free = models.BooleanField(_("段差なし・車いす可"), default=False)
    accessible_toilet = models.BooleanField(_("使いやすいトイレあり"), default=False)
    pick_up = models.BooleanField(_("送迎あり"), default=False)
    contact_name = models.CharField(_("連絡先（担当者名）"), max_length=100, blank=True)
    contact_phone = models.CharField(_("連絡先（電話）"), max_length=40, blank=True)
    contact_email = models.EmailField(_("連絡先（メール）"), blank=True)
    contact_public = models.BooleanField(
        _("連絡先の公開に主催者が同意している"),
        default=False,
        help_text=_("同意がなければ、公開ページには「地域のコーディネーターへ」と表示します。"),
    )
    photo = models.ImageField(_("写真"), upload_to="activities/%Y/", blank=True)
    last_confirmed = models.DateField(_("最後に活動を確認した日"), null=True, blank=True)
    # Denormalised from the schedules, for indexed filtering: bit n = weekday n (Mon=0),
    # and bits for morning / afternoon / evening.
    weekday_bits = models.PositiveSmallIntegerField(default=0)
    daypart_bits = models.PositiveSmallIntegerField(default=0)
    # The bits (Kind.bit) of its kinds: the kind filter tests it in the listing indexes.
    kind_bits = models.BigIntegerField(default=0, editable=False)
    # The normalised text and its index tokens (see directory/search.py).
    search_text = models.TextField(blank=True, editable=False)
    search_tokens = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動")
        verbose_name_plural = _("活動")
        ordering = ["kana", "name", "id"]
        indexes = [
            # The public listing in its order, holding every column a search filters on, so
            # that a search walks or counts it without reading the (wide) rows.
            models.Index(
                fields=[
                    "municipality",
                    "status",
                    "visibility",
                    "kana",
                    "name",
                    "id",
                    "area",
                    "is_free",
                    "welcomes_newcomers",
                    "step_free",
                    "weekday_bits",
                    "daypart_bits",
                    "kind_bits",
                ],
                name="activity_listing",
            ),
            # The same columns by id, for checking the activities a word or place index found.
            models.Index(
                fields=[
                    "id",
                    "municipality",
                    "status",
                    "visibility",
                    "kana",
                    "name",
                    "area",
                    "is_free",
                    "welcomes_newcomers",
                    "step_free",
                    "weekday_bits",
                    "daypart_bits",
                    "kind_bits",
                ],
                name="activity_by_id",
            ),
            # An area's activities in listing order (with the same columns, and the tenant).
            models.Index(
                fields=[
                    "area",
                    "status",
                    "visibility",
                    "kana",
                    "name",
                    "id",
                    "municipality",
                    "is_free",
                    "welcomes_newcomers",
                    "step_free",
                    "weekday_bits",
                    "daypart_bits",
                    "kind_bits",
                ],
                name="activity_area_listing",
            ),
            models.Index(fields=["last_confirmed"], name="activity_confirmed"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The tenant column follows the area, so no activity can sit in another's tree.
        self.municipality = self.area.municipality or self.area
        dropped = self._dropped_photo(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        copy_to_places([self.pk])
        delete_photo_later(dropped)

    def _dropped_photo(self, update_fields: Any) -> str:
        """The stored photo this save drops (replaced or removed), or "". Read from the row,
        not from what the instance remembers: after a save that rolled back, that is stale."""
        if self._state.adding or (update_fields is not None and "photo" not in update_fields):
            return ""
        stored = Activity.objects.filter(pk=self.pk).values_list("photo", flat=True).first()
        return stored if stored and stored != self.photo.name else ""

    @property
    def photo_url(self) -> str:
        """Where the photo is shown (directory.views.photo); "" without one. The file's name
        is part of it: a replaced photo's address stops answering, and no browser keeps
        showing an old photo under a new one's address."""
        if not self.photo:
            return ""
        return reverse("directory:photo", args=[self.pk, PurePosixPath(self.photo.name or "").name])

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.visibility == Visibility.PUBLIC

    def allowed_transitions(self) -> list[tuple[str, Any]]:
        return [(s, t["label"]) for s, t in TRANSITIONS.items() if self.status in t["from"]]

    def refresh_search(self) -> None:
        """Recompute the denormalised search and filter columns from the record and its
        parts, and write them."""
        places = [(p.name, p.address) for p in self.places.all()]
        self.index(list(self.kinds.all()), places, list(self.schedules.all()))
        Activity.objects.filter(pk=self.pk).update(
            search_text=self.search_text,
            search_tokens=self.search_tokens,
            kind_bits=self.kind_bits,
            weekday_bits=self.weekday_bits,
            daypart_bits=self.daypart_bits,
        )
        copy_to_places([self.pk])

    def index(
        self, kinds: list[Kind], places: list[tuple[str, str]], schedules: list[Schedule]
    ) -> None:
        """Set the search and filter columns from the record and these parts (kinds in the
        taxonomy's order; places as (name, address)) without writing them."""
        kinds = sorted(kinds, key=lambda kind: (kind.facet, kind.sort_order, kind.pk))
        parts = [self.name, self.kana, self.description, self.audience, self.fee, self.area.name]
        parts += [k.name for k in kinds]
        parts += [name for name, _address in places] + [address for _name, address in places]
        if self.organization is not None:
            parts.append(self.organization.name)
        self.search_text = search.normalize(" ".join(parts))
        title = search.title_of(self.name, self.kana)
        self.search_tokens = search.tokens_for(self.search_text, title)
        self.kind_bits = sum(kind.mask or 0 for kind in kinds)
        self.weekday_bits = self.daypart_bits = 0
        for schedule in schedules:
            self.weekday_bits |= schedule.weekday_bits()
            self.daypart_bits |= schedule.daypart_bits()


# The columns of its activity that a place carries, so that "near me" with filters is
# answered from the place index alone (see Place.listed). Kept by Activity.save, Place.save,
# Activity.refresh_search and the import (all through `copy_to_places`).
PLACE_COPIES = (
    "municipality", "area", "kind_bits", "weekday_bits", "daypart_bits", "is_free",
    "welcomes_newcomers", "step_free",
)  # fmt: skip


class Place(Audited):
    """Where an activity happens (HSDS location with its physical address)."""

    audit_exclude = frozenset({*PLACE_COPIES, "listed"})

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("場所の名前"), max_length=120, help_text=_("例: 高島平地域センター"))
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, help_text=_("例: 板橋区高島平3-12-28"))
    latitude = models.FloatField(_("緯度"), null=True, blank=True, db_index=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    # Copies of the activity's (PLACE_COPIES), and whether it is on the public site.
    listed = models.BooleanField(default=False, editable=False)
    municipality = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, editable=False, related_name="+"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, editable=False, related_name="+"
    )
    kind_bits = models.PositiveIntegerField(default=0, editable=False)
    weekday_bits = models.PositiveSmallIntegerField(default=0, editable=False)
    daypart_bits = models.PositiveSmallIntegerField(default=0, editable=False)
    is_free = models.BooleanField(default=False, editable=False)
    welcomes_newcomers = models.BooleanField(default=False, editable=False)
    step_free = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("場所")
        verbose_name_plural = _("場所")
        ordering = ["id"]
        # "Near me" reads places by latitude band, or an activity's places, from the index alone.
        indexes = [
            models.Index(
                fields=["latitude", "longitude", "activity"], name="place_latlng_activity"
            ),
            models.Index(
                fields=["activity", "latitude", "longitude"], name="place_activity_latlng"
            ),
            # The public places of a municipality by latitude band, with every column a search
            # filters on: counting the activities near a point reads no other row.
            models.Index(
                fields=[
                    "municipality",
                    "listed",
                    "latitude",
                    "longitude",
                    "activity",
                    "area",
                    "kind_bits",
                    "weekday_bits",
                    "daypart_bits",
                    "is_free",
                    "welcomes_newcomers",
                    "step_free",
                ],
                name="place_listed_latlng",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.listed = self.activity.is_public
        for name in PLACE_COPIES:
            attname = f"{name}_id" if name in ("municipality", "area") else name
            setattr(self, attname, getattr(self.activity, attname))
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.activity.area


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("毎週")
    MONTHLY_NTH = "monthly_nth", _("毎月 第◯◯曜日")
    MONTHLY_DATE = "monthly_date", _("毎月 ◯日")
    IRREGULAR = "irregular", _("不定期")


WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]
DAYPARTS = {1: _("午前"), 2: _("午後"), 4: _("夕方・夜")}


class Schedule(Audited):
    """When an activity meets (HSDS schedule: WEEKLY byday / MONTHLY byday or bymonthday)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("くり返し"), max_length=16, choices=Frequency.choices)
    weekdays = models.CharField(
        _("曜日"), max_length=20, blank=True, help_text=_("月=0 … 日=6 をカンマ区切り")
    )
    nth = models.PositiveSmallIntegerField(_("第◯"), null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("日付"), null=True, blank=True)
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日程")
        verbose_name_plural = _("日程")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.in_words()

    @property
    def audit_area(self) -> Area:
        return self.activity.area

    def weekday_list(self) -> list[int]:
        return weekday_numbers(self.weekdays)

    def weekday_bits(self) -> int:
        return sum(1 << d for d in self.weekday_list() if 0 <= d <= 6)

    def daypart_bits(self) -> int:
        if self.opens_at is None:
            return 0
        start = self.opens_at.hour
        end = self.closes_at.hour if self.closes_at else start
        bits = 0
        if start < 12:
            bits |= 1
        if start < 17 and end >= 12:
            bits |= 2
        if end >= 17 or start >= 17:
            bits |= 4
        return bits

    def in_words(self) -> str:
        """毎週水曜 / 毎月第2水曜 / 毎月15日 / 不定期, then the hours: 14:00〜16:00."""
        return schedule_in_words(*(getattr(self, name) for name in SCHEDULE_WORDS))


def weekday_numbers(weekdays: str) -> list[int]:
    """ "2,0" -> [0, 2] (月=0 … 日=6)."""
    return sorted({int(d) for d in weekdays.split(",") if d.strip().isdigit()})


# The columns a schedule is told from, in the order `schedule_in_words` takes them.
SCHEDULE_WORDS = ("frequency", "weekdays", "nth", "day_of_month", "opens_at", "closes_at", "note")


def schedule_in_words(
    frequency: str,
    weekdays: str,
    nth: int | None,
    day_of_month: int | None,
    opens_at: dt.time | None,
    closes_at: dt.time | None,
    note: str,
) -> str:
    """`Schedule.in_words` from the columns alone: lists of results read them as values."""
    days = "・".join(WEEKDAYS[d] for d in weekday_numbers(weekdays) if 0 <= d <= 6)
    if frequency == Frequency.WEEKLY:
        when = f"毎週{days}曜" if days else "毎週"
    elif frequency == Frequency.MONTHLY_NTH:
        when = f"毎月第{nth}{days}曜" if nth else f"毎月{days}曜"
    elif frequency == Frequency.MONTHLY_DATE:
        when = f"毎月{day_of_month}日"
    else:
        when = "不定期"
    if opens_at:
        end = f"{closes_at:%H:%M}" if closes_at else ""
        when += f" {opens_at:%H:%M}〜{end}"
    if note:
        when += f"（{note}）"
    return when


class ProposalKind(models.TextChoices):
    NEW = "new", _("新しい活動を知らせる")
    CORRECTION = "correction", _("載っている内容の訂正")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("未対応")
    ACCEPTED = "accepted", _("反映した")
    DECLINED = "declined", _("見送った")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.OPEN)


class Proposal(Audited):
    """A resident's note of a new activity or a correction; nothing is shown until an SC acts."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("地域")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    kind = models.CharField(_("種類"), max_length=12, choices=ProposalKind.choices)
    name = models.CharField(_("活動の名前"), max_length=120)
    details = models.TextField(_("内容（いつ・どこで・どんな活動か、訂正したいこと）"))
    sender_name = models.CharField(_("お名前（任意）"), max_length=60, blank=True)
    sender_contact = models.CharField(_("連絡先（任意・電話かメール）"), max_length=120, blank=True)
    status = models.CharField(
        _("対応"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動の情報提供")
        verbose_name_plural = _("活動の情報提供")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


def copy_to_places(activity_ids: list[int]) -> None:
    """Write these activities' PLACE_COPIES (and whether each is public) onto their places:
    one UPDATE, read from the activities' own rows."""
    if not activity_ids:
        return
    own = Activity.objects.filter(pk=OuterRef("activity_id"))
    public = Q(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)
    listed = own.annotate(p=Case(When(public, then=Value(True)), default=Value(False)))
    copies: dict[str, Any] = {"listed": Subquery(listed.values("p")[:1])}
    for name in PLACE_COPIES:
        copies[name] = Subquery(own.values(name)[:1])
    Place.objects.filter(activity_id__in=activity_ids).update(**copies)
