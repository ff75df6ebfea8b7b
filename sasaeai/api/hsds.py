"""The public directory in Open Referral's HSDS 3.1 (../shared/standards/hsds-3.1/): plain
dictionaries from the records, for the open data API and the tabular data package.

Only what the public site shows goes out: published public activities (`Activity.objects.public`),
an organiser's phone, e-mail and name only where they agreed to publish them (`contact_public`),
else the region's SC desk; never a staff note, a draft, a paused or ended activity.

- service: an activity; organization: its organising group; location: each of its places (the
  address in `address_1`, the ward as `city`, Tokyo as `state_province`); service_at_location
  links the two; schedule: each of its meeting rules in RRULE form (毎週水曜 → freq WEEKLY,
  byday WE; 毎月第2水曜 → MONTHLY, byday 2WE; 毎月15日 → MONTHLY, bymonthday 15; 不定期 → the
  words alone); taxonomy: each facet of the municipality's kinds, taxonomy_term: each kind, and
  an activity's kinds as attributes.
- Every id is a UUID made from the municipality, table and key (ids.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory.models import (
    Activity,
    Facet,
    Frequency,
    Kind,
    Organization,
    Place,
    Schedule,
    weekday_numbers,
)
from sasaeai.lib import links

from . import ids

VERSION = "3.1"
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TIMEZONE = 9.0  # UTC+9: schedules are in Japan's local time
STATUS = "active"


# The columns a service, its group and a location are made of: the rest of a row (the
# search's text and copies, the survey's fields) is never read, and an activity's search
# tokens alone are several times the size of all of these.
SERVICE_FIELDS = (
    "id", "name", "kana", "description", "how_to_join", "fee", "is_free", "audience",
    "updated_at", "organization", "contact_public", "contact_email", "contact_phone",
    "contact_name",
)  # fmt: skip
ORGANIZATION_FIELDS = ("id", "name", "kana", "description", "website")
PLACE_FIELDS = ("id", "activity", "name", "postal_code", "address", "latitude", "longitude")


def services(municipality: Area, *more: str) -> QuerySet[Activity]:
    """The municipality's public activities in a fixed order, with their group (and `more`
    columns)."""
    return readable(Activity.objects.of(municipality).public(), *more).order_by("id")


def readable(activities: QuerySet[Activity], *more: str) -> QuerySet[Activity]:
    """With their group, and only the columns a service shows (and `more`)."""
    group = [f"organization__{name}" for name in ORGANIZATION_FIELDS]
    return activities.select_related("organization").only(*SERVICE_FIELDS, *more, *group)


def places(chosen: QuerySet[Place]) -> QuerySet[Place]:
    """Only the columns a location shows."""
    return chosen.only(*PLACE_FIELDS)


def nested(activities: QuerySet[Activity], *, kinds: bool = True) -> QuerySet[Activity]:
    """With what a full service shows: one query for each related table, whatever the
    number of rows (the kinds too, unless the caller knows them otherwise)."""
    found = activities.prefetch_related(
        Prefetch("schedules", Schedule.objects.order_by("id")),
        Prefetch("places", places(Place.objects.order_by("id"))),
    )
    if kinds:
        found = found.prefetch_related(
            Prefetch("kinds", Kind.objects.order_by("facet", "sort_order", "id"))
        )
    return found


class Mapper:
    """Dictionaries of one municipality's records; `site` is its public address."""

    def __init__(self, municipality: Area) -> None:
        self.municipality = municipality
        self.code = municipality.code

    def id(self, table: str, pk: int) -> str:
        return ids.make(self.code, table, pk)

    def link(self, path: str) -> str:
        return links.absolute(path, self.municipality)

    @functools.cached_property
    def _service_url(self) -> tuple[str, str]:
        """An activity page's address around its key, reversed once (not for every row)."""
        marker = 918273645
        head, tail = self.link(reverse("directory:detail", args=[marker])).split(str(marker))
        return head, tail

    def service_url(self, activity: Activity) -> str:
        head, tail = self._service_url
        return f"{head}{activity.pk}{tail}"

    # Activities

    def service_brief(self, activity: Activity) -> dict[str, Any]:
        """A service with its one-to-one fields (the list's items)."""
        found = {
            "id": self.id("service", activity.pk),
            "name": activity.name,
            "alternate_name": activity.kana or None,
            "description": activity.description or None,
            "url": self.service_url(activity),
            "status": STATUS,
            "application_process": activity.how_to_join or None,
            "fees_description": fee(activity),
            "eligibility_description": activity.audience or None,
            "last_modified": stamp(activity.updated_at),
        }
        if activity.organization_id:
            found["organization_id"] = self.id("organization", activity.organization_id)
        if activity.contact_public and activity.contact_email:
            found["email"] = activity.contact_email
        return {k: v for k, v in found.items() if v is not None}

    def service(self, activity: Activity, kinds: list[Kind]) -> dict[str, Any]:
        """A service fully nested: schedules, locations, phones, contacts, its `kinds` (in
        the taxonomy's order)."""
        found = self.service_brief(activity)
        service_id = found["id"]
        found["schedules"] = [self.schedule(s, service_id) for s in activity.schedules.all()]
        found["service_at_locations"] = [
            self.service_at_location(place) for place in activity.places.all()
        ]
        found["phones"] = self.phones(activity, service_id)
        found["contacts"] = self.contacts(activity, service_id)
        found["attributes"] = [self.attribute(kind, activity.pk, service_id) for kind in kinds]
        if activity.organization is not None:
            found["organization"] = self.organization(activity.organization)
        return found

    def phones(self, activity: Activity, service_id: str) -> list[dict[str, Any]]:
        if not (activity.contact_public and activity.contact_phone):
            return []
        phone = {
            "id": self.id("phone", activity.pk),
            "service_id": service_id,
            "number": activity.contact_phone,
            "type": "voice",
            "languages": [],
        }
        return [phone]

    def contacts(self, activity: Activity, service_id: str) -> list[dict[str, Any]]:
        if not (activity.contact_public and activity.contact_name):
            return []
        contact: dict[str, Any] = {
            "id": self.id("contact", activity.pk),
            "service_id": service_id,
            "name": activity.contact_name,
            "phones": [],
        }
        if activity.contact_email:
            contact["email"] = activity.contact_email
        return [contact]

    def schedule(self, schedule: Schedule, service_id: str) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id("schedule", schedule.pk),
            "service_id": service_id,
            "timezone": TIMEZONE,
            "description": schedule.in_words(),
            "attending_type": "in_person",
        }
        found.update(rrule(schedule))
        if schedule.opens_at:
            found["opens_at"] = f"{schedule.opens_at:%H:%M}"
        if schedule.closes_at:
            found["closes_at"] = f"{schedule.closes_at:%H:%M}"
        if schedule.note:
            found["notes"] = schedule.note
        return found

    # Places

    def location(self, place: Place) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id("location", place.pk),
            "location_type": "physical",
            "name": place.name,
            "addresses": [self.address(place)] if place.address else [],
        }
        if place.latitude is not None and place.longitude is not None:
            found["latitude"] = place.latitude
            found["longitude"] = place.longitude
        return found

    def address(self, place: Place) -> dict[str, Any]:
        return {
            "id": self.id("address", place.pk),
            "location_id": self.id("location", place.pk),
            "address_1": place.address,
            "city": self.municipality.name,
            "state_province": prefecture(self.municipality),
            "postal_code": place.postal_code,
            "country": "JP",
            "address_type": "physical",
        }

    def service_at_location(self, place: Place) -> dict[str, Any]:
        return {
            "id": self.id("service_at_location", place.pk),
            "service_id": self.id("service", place.activity_id),
            "location": self.location(place),
        }

    # Groups and kinds

    def organization(self, organization: Organization) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id("organization", organization.pk),
            "name": organization.name,
            "description": organization.description or organization.name,
        }
        if organization.kana:
            found["alternate_name"] = organization.kana
        if organization.website:
            found["website"] = organization.website
        return found

    def taxonomy(self, facet: str) -> dict[str, Any]:
        return {
            "id": self.id(f"taxonomy-{facet}", 1),
            "name": str(Facet(facet).label),
            "description": f"{self.municipality.name}の{Facet(facet).label}",
            "version": "1",
        }

    def taxonomy_term(self, kind: Kind) -> dict[str, Any]:
        return {
            "id": self.id("taxonomy_term", kind.pk),
            "code": kind.code,
            "name": kind.name,
            "description": kind.description or kind.name,
            "taxonomy_id": self.id(f"taxonomy-{kind.facet}", 1),
            "taxonomy": str(Facet(kind.facet).label),
        }

    def attribute(self, kind: Kind, activity_pk: int, service_id: str) -> dict[str, Any]:
        """A kind of an activity: the pair of keys in one (kinds number far below 2**20)."""
        return {
            "id": self.id("attribute", activity_pk << 20 | kind.pk),
            "link_id": service_id,
            "link_type": "taxonomy_term",
            "link_entity": "service",
            "taxonomy_term_id": self.id("taxonomy_term", kind.pk),
            "taxonomy_term": self.taxonomy_term(kind),
        }


def rrule(schedule: Schedule) -> dict[str, Any]:
    """The schedule's rule as HSDS's RRULE fields; an irregular one has none."""
    days = [BYDAY[d] for d in weekday_numbers(schedule.weekdays) if 0 <= d <= 6]
    if schedule.frequency == Frequency.WEEKLY and days:
        return {"freq": "WEEKLY", "interval": 1, "byday": ",".join(days), "wkst": "MO"}
    if schedule.frequency == Frequency.MONTHLY_NTH and days:
        nth = schedule.nth or 1
        return {"freq": "MONTHLY", "interval": 1, "byday": ",".join(f"{nth}{d}" for d in days)}
    if schedule.frequency == Frequency.MONTHLY_DATE and schedule.day_of_month:
        return {"freq": "MONTHLY", "interval": 1, "bymonthday": str(schedule.day_of_month)}
    return {}


def fee(activity: Activity) -> str | None:
    if activity.fee:
        return activity.fee
    return "無料" if activity.is_free else None


def stamp(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


PREFECTURES = [  # by JIS X 0401 code, 01 to 47
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]  # fmt: skip


def prefecture(municipality: Area) -> str:
    """The prefecture from the first two digits of the municipality's code (13 → 東京都)."""
    number = municipality.code[:2]
    return PREFECTURES[int(number) - 1] if number.isdigit() and 1 <= int(number) <= 47 else ""
