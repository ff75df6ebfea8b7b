"""The municipality's activity taxonomy (HSDS taxonomy_term): two facets, what an activity
does and what kind of group runs it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited


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
