"""What a booklet holds, gathered from the directory and the referrals directory into plain
values (`collect`): the same dictionary draws the preview, the PDFs, and is stored with a
made edition (`Edition.content`) so that it is printed again exactly as it was.

Only what the public site shows goes in: published public activities, an organiser's contact
only where they agreed to publish it (else the region's SC, as the public pages say), public
institutions.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area, AreaContact, AreaKind
from sasaeai.directory.models import (
    SCHEDULE_WORDS,
    WEEKDAYS,
    Activity,
    Facet,
    Frequency,
    Kind,
    Place,
    Schedule,
    schedule_in_words,
    weekday_numbers,
)
from sasaeai.lib import links
from sasaeai.lib.fiscal import year_label
from sasaeai.referrals.models import Institution

from .models import Edition

# The rows of the 五十音 index, by the first sound of a reading.
KANA_ROWS = (
    ("あ", "あいうえおぁぃぅぇぉゔ"), ("か", "かきくけこ"), ("さ", "さしすせそ"),
    ("た", "たちつてとっ"), ("な", "なにぬねの"), ("は", "はひふへほ"), ("ま", "まみむめも"),
    ("や", "やゆよゃゅょ"), ("ら", "らりるれろ"), ("わ", "わをんゎ"),
)  # fmt: skip
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def candidates(area: Area) -> Any:
    """The activities a booklet of `area` may hold: public and published, of the area and
    every area below it, in reading order."""
    return (
        Activity.objects.within(area).public().select_related("area").order_by("kana", "name", "id")
    )


def collect(edition: Edition, base_url: str = "") -> dict[str, Any]:
    """Everything the booklet shows, as JSON-able values."""
    area = edition.area
    municipality = area.municipality or area
    left_out = set(edition.left_out.values_list("pk", flat=True))
    chosen = [a for a in candidates(area) if a.pk not in left_out]
    cards = _cards(chosen, municipality, edition, base_url)
    sections = _sections(cards, area)  # numbers the cards, which the indexes point at
    return {
        "title": str(edition.title),
        "area_name": area.name,
        "area_kind": area.kind,
        "municipality_name": municipality.name,
        "year": edition.fiscal_year,
        "year_label": year_label(edition.fiscal_year),
        "issued_by": edition.issued_by,
        "issued_on": edition.issued_on.isoformat() if edition.issued_on else "",
        "welcome": edition.welcome,
        "contact": edition.contact,
        "desk": desk(area),
        "back_cover": edition.back_cover,
        "sections": sections,
        "count": len(cards),
        "kana_index": kana_index(cards),
        "weekday_index": weekday_index(cards),
        "institutions": _institutions(edition),
        "columns": _columns(edition),
    }


def _cards(
    activities: list[Activity], municipality: Area, edition: Edition, base_url: str
) -> list[dict[str, Any]]:
    ids = [a.pk for a in activities]
    kinds: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    links_ = Activity.kinds.through.objects.filter(activity_id__in=ids).select_related("kind")
    for link in links_.order_by("kind__facet", "kind__sort_order", "kind_id"):
        kinds[link.activity_id].append((link.kind_id, link.kind.name, link.kind.facet))
    schedules: dict[int, list[list[Any]]] = defaultdict(list)
    timetable = Schedule.objects.filter(activity_id__in=ids).order_by("id")
    for activity_id, *columns in timetable.values_list("activity_id", *SCHEDULE_WORDS):
        schedules[activity_id].append(columns)
    places: dict[int, list[dict[str, str]]] = defaultdict(list)
    located = Place.objects.filter(activity_id__in=ids).order_by("id")
    for activity_id, name, postal, address in located.values_list(
        "activity_id", "name", "postal_code", "address"
    ):
        places[activity_id].append({"name": name, "postal_code": postal, "address": address})
    desks: dict[int, dict[str, str] | None] = {}
    cards = []
    for number, activity in enumerate(activities, start=1):
        own = kinds[activity.pk]
        main = next((k for k in own if k[2] == Facet.ACTIVITY), own[0] if own else None)
        public_contact = activity.contact_public and (
            activity.contact_phone or activity.contact_email
        )
        if activity.area_id not in desks:
            desks[activity.area_id] = desk(activity.area)
        sc = _desk_words(desks[activity.area_id]) or edition.contact
        cards.append(
            {
                "id": activity.pk,
                "number": number,
                "name": activity.name,
                "kana": activity.kana,
                "region": activity.area.name,
                "region_id": activity.area_id,
                "kind_id": main[0] if main else 0,
                "kind": main[1] if main else _("その他"),
                "kinds": [name for _pk, name, _facet in own],
                "schedules": [schedule_in_words(*c) for c in schedules[activity.pk]],
                "weekdays": _weekdays(schedules[activity.pk]),
                "places": places[activity.pk],
                "audience": activity.audience,
                "fee": _("無料") if activity.is_free else activity.fee,
                "how_to_join": activity.how_to_join,
                "newcomers": activity.welcomes_newcomers,
                "contact": {
                    "name": activity.contact_name,
                    "phone": activity.contact_phone,
                    "email": activity.contact_email,
                }
                if public_contact
                else None,
                "sc": _("%(area)sの生活支援コーディネーター（SC）") % {"area": activity.area.name}
                if not public_contact
                else "",
                "sc_contact": sc if not public_contact else "",
                "url": base_url.rstrip("/") + activity.get_absolute_url()
                if base_url
                else links.absolute(activity.get_absolute_url(), municipality),  # type: ignore[arg-type]
            }
        )
    return cards


def desk(area: Area) -> dict[str, str] | None:
    """The desk a resident of `area` calls (areas.AreaContact: the SC's post, never a
    person's number), the area's own or the nearest above; as the public pages show it."""
    found = AreaContact.objects.nearest(area)
    if found is None:
        return None
    return {"post": found.post, "phone": found.phone, "fax": found.fax, "hours": found.hours,
            "place": found.place}  # fmt: skip


def _desk_words(found: dict[str, str] | None) -> str:
    if found is None:
        return ""
    words = _("電話 %(phone)s") % {"phone": found["phone"]}
    if found["hours"]:
        words += f"（{found['hours']}）"
    return f"{found['post']}\n{words}"


def _weekdays(schedules: list[list[Any]]) -> list[int]:
    """The weekdays an activity meets on; 7 for one met by date or irregularly."""
    days: set[int] = set()
    for frequency, weekdays, *_rest in schedules:
        numbers = [d for d in weekday_numbers(weekdays) if 0 <= d <= 6]
        if frequency in (Frequency.WEEKLY, Frequency.MONTHLY_NTH) and numbers:
            days.update(numbers)
        else:
            days.add(7)
    return sorted(days) or [7]


def _sections(cards: list[dict[str, Any]], area: Area) -> list[dict[str, Any]]:
    """The cards grouped by kind, in the taxonomy's order; under each region first for a
    booklet of many regions."""
    order = {
        pk: n
        for n, pk in enumerate(
            Kind.objects.order_by("facet", "sort_order", "id").values_list("pk", flat=True)
        )
    }

    def by_kind(some: list[dict[str, Any]]) -> list[dict[str, Any]]:
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for card in some:
            groups[card["kind_id"]].append(card)
        ordered = sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))
        return [{"kind": cs[0]["kind"], "cards": cs} for _pk, cs in ordered]

    if area.kind == AreaKind.REGION:
        sections: list[dict[str, Any]] = [{"region": "", "groups": by_kind(cards)}]
    else:
        regions = (
            Area.objects.within(area).filter(kind=AreaKind.REGION).order_by("sort_order", "path")
        )
        by_region: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for card in cards:
            by_region[card["region_id"]].append(card)
        sections = [
            {"region": r.name, "groups": by_kind(by_region[r.pk])}
            for r in regions
            if by_region[r.pk]
        ]
    # Number the cards in the order they are printed: the indexes point at these numbers.
    number = 0
    for s, section in enumerate(sections):
        for g, group in enumerate(section["groups"]):
            group["anchor"] = f"g{s}-{g}"
            for card in group["cards"]:
                number += 1
                card["number"] = number
    return sections


def kana_row(reading: str) -> str:
    """The 五十音 row of a reading's first sound ("か" for ガ or が), or "他"."""
    if not reading:
        return "他"
    first = unicodedata.normalize("NFD", reading[0])[0]
    if "ァ" <= first <= "ヶ":
        first = chr(ord(first) - 0x60)
    for row, sounds in KANA_ROWS:
        if first in sounds:
            return row
    return "他"


def kana_index(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for card in cards:
        rows[kana_row(card["kana"] or card["name"])].append(_entry(card))
    order = [row for row, _sounds in KANA_ROWS] + ["他"]
    return [
        {"row": row, "label": _("%(row)s行") % {"row": row} if row != "他" else _("その他"),
         "entries": sorted(rows[row], key=lambda e: e[1])}
        for row in order if rows[row]
    ]  # fmt: skip


def _entry(card: dict[str, Any]) -> list[Any]:
    return [card["name"], card["number"], card["id"]]


def weekday_index(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    days: dict[int, list[list[Any]]] = defaultdict(list)
    for card in cards:
        for day in card["weekdays"]:
            days[day].append(_entry(card))
    labels = [_("%(day)s曜日") % {"day": d} for d in WEEKDAYS] + [_("日にち・不定期")]
    return [
        {"label": labels[d], "entries": sorted(days[d], key=lambda e: e[1])}
        for d in range(8)
        if days[d]
    ]


def _institutions(edition: Edition) -> list[dict[str, str]]:
    """The public institutions that cover the booklet's area (or an area above or below it),
    as the public directory shows them."""
    area = edition.area
    near = [a.pk for a in area.ancestors()] + list(
        Area.objects.within(area).values_list("pk", flat=True)
    )
    municipality = area.municipality or area
    found = (
        Institution.objects.of(municipality)
        .public()
        .filter(Q(areas__in=near))
        .exclude(pk__in=edition.institutions_left_out.values("pk"))
        .select_related("kind")
        .distinct()
        .order_by("kind__sort_order", "kana", "name", "id")
    )
    return [
        {"name": i.name, "kind": i.kind.name, "address": i.address, "phone": i.phone,
         "hours": i.hours, "helps_with": i.helps_with}
        for i in found
    ]  # fmt: skip


def _columns(edition: Edition) -> list[dict[str, Any]]:
    """The コラム; a photo that is missing or not an image is left out, with a note."""
    found = []
    for column in edition.columns.all():
        photo, note = "", ""
        if column.photo:
            photo, note = _photo(column.photo)
        found.append(
            {"title": column.title, "body": column.body, "photo": photo, "photo_note": note,
             "caption": column.photo_caption}
        )  # fmt: skip
    return found


def _photo(field: Any) -> tuple[str, str]:
    """The photo's stored name when it is a JPEG or PNG that is there, else a note why not."""
    name = PurePosixPath(field.name or "").name
    try:
        with field.open("rb") as file:
            head = file.read(8)
    except (FileNotFoundError, OSError, ValueError):
        return "", _("写真「%(name)s」が見つからないため、載せていません。") % {"name": name}
    if not head.startswith(PHOTO_MAGIC):
        return "", _("写真「%(name)s」は画像として読めないため、載せていません。") % {"name": name}
    return str(field.name), ""
