"""Where activities happen (HSDS location), each with copies of its activity's filter columns."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from .activities import Activity, Status, Visibility

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
            # The public places by id, for the open data API's pages (api/open_data.py).
            models.Index(fields=["municipality", "listed", "id"], name="place_listed_by_id"),
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
