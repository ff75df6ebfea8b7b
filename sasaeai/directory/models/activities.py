"""Activities (HSDS service) and the groups that organise them (HSDS organization): their
status on the public site, and the denormalised columns the search reads."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib import photos

from .. import search, survey_options
from .kinds import Kind

if TYPE_CHECKING:
    from .schedules import Schedule


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
        photos.delete_later(Activity._meta.get_field("photo").storage, name)  # type: ignore[union-attr]


class Activity(Audited):
    """A support activity (HSDS service): a salon, a watch-over group, shopping together…"""

    audit_exclude = frozenset({"updated_at", "search_text", "search_tokens", "kind_bits"})
    # access.scope reads a ward-wide role as this column: save() keeps it the area's.
    MUNICIPALITY_OF_AREA: ClassVar[str] = "municipality"

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
    # For the national survey: an option's code from data/mhlw/options.csv (survey_options).
    # The form and the import check it against the file, not `choices`: the ward changes the
    # lists with each edition of the survey's form, and that must need no migration.
    survey_content = models.CharField(
        _("主な活動内容（国の調査用）"), max_length=20, blank=True, default=""
    )
    operator = models.CharField(_("運営主体"), max_length=20, blank=True, default="")
    venue_type = models.CharField(_("活動場所の種類"), max_length=20, blank=True, default="")
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
            # The open data API (api/open_data.py): the public activities by id, a page found
            # from the index alone (the kind as a bit test); and the latest change, which says
            # whether a remembered count still holds.
            models.Index(
                fields=["municipality", "status", "visibility", "id", "kind_bits"],
                name="activity_public_by_id",
            ),
            models.Index(fields=["municipality", "updated_at"], name="activity_changed"),
            # The staff list's order (by reading): a page walks it and stops, instead of
            # sorting every activity the person sees (the ward's: all of them).
            models.Index(fields=["kana", "name", "id"], name="activity_staff_order"),
            # The staff API's list (api/staff_directory.py): a municipality's activities in
            # that order, holding the columns of a list row (as keys: SQLite has no INCLUDE),
            # so that a page deep in 100,000 reads the index alone up to it, not every row.
            models.Index(
                fields=[
                    "municipality",
                    "kana",
                    "name",
                    "id",
                    "area",
                    "status",
                    "visibility",
                    "last_confirmed",
                    "updated_at",
                ],
                name="activity_staff_page",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .places import copy_to_places  # places.py imports this module

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

    def survey_facts(self) -> list[tuple[str, str]]:
        """The survey's fields as (the field's name, the chosen option's label); "" for one
        not recorded."""
        return [
            (
                str(self._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                survey_options.label(list_name, getattr(self, name)),
            )
            for name, list_name in survey_options.FIELDS.items()
        ]

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.visibility == Visibility.PUBLIC

    def allowed_transitions(self) -> list[tuple[str, Any]]:
        return [(s, t["label"]) for s, t in TRANSITIONS.items() if self.status in t["from"]]

    def refresh_search(self) -> None:
        """Recompute the denormalised search and filter columns from the record and its
        parts, and write them."""
        from .places import copy_to_places

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
        # With the readings of the words in kanji: a search in kana finds them.
        readings, name_reading = search.activity_readings(
            self.name, self.kana, self.description, [k.name for k in kinds],
            [name for name, _address in places],
        )  # fmt: skip
        self.search_tokens = search.tokens_for(self.search_text, title, readings, name_reading)
        self.kind_bits = sum(kind.mask or 0 for kind in kinds)
        self.weekday_bits = self.daypart_bits = 0
        for schedule in schedules:
            self.weekday_bits |= schedule.weekday_bits()
            self.daypart_bits |= schedule.daypart_bits()
