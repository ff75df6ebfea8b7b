from __future__ import annotations

from collections.abc import Iterable

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.audit.models import Audited
from sasaeai.lib.paths import is_under, paths_above, under


class AreaKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("自治体")
    BLOCK = "block", _("ブロック")
    REGION = "region", _("地域")
    UNIT = "unit", _("小地域")


# Which kind of area may sit directly under which.
ALLOWED_PARENTS: dict[str, set[str]] = {
    AreaKind.MUNICIPALITY: set(),
    AreaKind.BLOCK: {AreaKind.MUNICIPALITY},
    AreaKind.REGION: {AreaKind.MUNICIPALITY, AreaKind.BLOCK},
    AreaKind.UNIT: {AreaKind.REGION},
}


class AreaQuerySet(models.QuerySet["Area"]):
    def municipalities(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.MUNICIPALITY)

    def of(self, municipality: Area) -> AreaQuerySet:
        """Every area of one municipality (tenant)."""
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> AreaQuerySet:
        """The area itself and everything below it."""
        return self.filter(under(area.path))

    def chains(self, areas: Iterable[Area]) -> dict[int, list[Area]]:
        """Each area's line from its municipality down to itself, by the area's pk: the
        ancestors of many areas in one query, where `Area.ancestors()` is one per area."""
        areas = list(areas)
        wanted = {path for area in areas for path in paths_above(area.path)}
        above = {area.path: area for area in self.filter(path__in=wanted)} if wanted else {}
        return {
            area.pk: [*(above[p] for p in paths_above(area.path) if p in above), area]
            for area in areas
        }

    def blocks(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.BLOCK)

    def regions(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.REGION)

    def for_host(self, host: str, default_code: str = "") -> Area | None:
        """The municipality whose site this host name is, else the one coded `default_code`.

        One query: a few dozen municipality rows at most, even nationwide.
        """
        host = host.split(":")[0].lower()
        fallback = None
        for municipality in self.municipalities():
            if host in municipality.host_list:
                return municipality
            if default_code and municipality.code == default_code:
                fallback = municipality
        return fallback


class Area(Audited):
    """A node of a municipality's area tree: municipality → block → region → unit.

    `path` is materialised (e.g. ``131199/blk-akatsuka/takashimadaira``) so that
    "everything under this area" is one indexed prefix filter on every database.
    """

    municipality = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("自治体"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("種別"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    layer = models.CharField(_("層"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("並び順"), default=0)
    path = models.CharField(max_length=400, unique=True)
    hosts = models.CharField(_("ホスト名"), max_length=400, blank=True)
    note = models.CharField(_("備考"), max_length=400, blank=True)
    # The area's rough centre: where its map opens and "near this area" searches start.
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ["sort_order", "path"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="area_code_per_muni"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.is_municipality:
            return reverse("core:home")
        return reverse("areas:detail", args=[self.code])

    @property
    def audit_area(self) -> Area:
        return self

    @property
    def is_municipality(self) -> bool:
        return self.kind == AreaKind.MUNICIPALITY

    @property
    def host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hosts.split(",") if h.strip()]

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def contains(self, other: Area) -> bool:
        """Whether `other` is this area or lies below it."""
        return is_under(other.path, self.path)

    def ancestors(self) -> AreaQuerySet:
        """Areas above this one, from the municipality down (not including itself)."""
        return Area.objects.filter(path__in=paths_above(self.path)).order_by("path")


PHONE = RegexValidator(
    r"^0\d{1,4}-\d{1,4}-\d{3,4}$",
    _("電話番号は 03-1234-5678 のように、ハイフンで区切って書いてください。"),
)


class AreaContactQuerySet(models.QuerySet["AreaContact"]):
    def nearest(self, area: Area | None) -> AreaContact | None:
        """Whom a resident of `area` calls: the area's own contact, else the nearest one
        above it (a block's, the ward's); None where there is none up to the municipality."""
        if area is None:
            return None
        lines = [*paths_above(area.path), area.path]
        found = {c.area.path: c for c in self.filter(area__path__in=lines).select_related("area")}
        return next((found[p] for p in reversed(lines) if p in found), None)


class AreaContact(Audited):
    """The desk a resident of an area calls: the post of its 生活支援コーディネーター (never a
    person's own number), kept by the municipality's staff (core/contact_views.py)."""

    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, related_name="contact", verbose_name=_("地域")
    )
    post = models.CharField(
        _("窓口の名前"),
        max_length=120,
        help_text=_("例：板橋区社会福祉協議会 生活支援コーディネーター（高島平地域担当）"),
    )
    phone = models.CharField(_("電話番号"), max_length=20, validators=[PHONE])
    fax = models.CharField(_("FAX番号"), max_length=20, blank=True, validators=[PHONE])
    hours = models.CharField(
        _("受付時間"), max_length=100, help_text=_("例：月〜金 9:00〜17:00（祝日・年末年始を除く）")
    )
    place = models.CharField(_("場所"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域の相談窓口")
        verbose_name_plural = _("地域の相談窓口")
        ordering = ["area__sort_order", "area__path"]

    def __str__(self) -> str:
        return f"{self.area.name}: {self.post}"

    @property
    def audit_area(self) -> Area:
        return self.area

    @property
    def phone_link(self) -> str:
        """The number for a tel: link (digits only)."""
        return "".join(ch for ch in self.phone if ch.isdigit())
