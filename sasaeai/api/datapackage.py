"""The HSDS 3.1 tabular data package of a municipality's public directory: a zip of one CSV per
HSDS table (the columns of the HSDS 3.1 tabular format, ../shared/standards/hsds-3.1/) and a
datapackage.json (Frictionless Tabular Data Package) describing them.

The rows are hsds.Mapper's dictionaries flattened, so the package says exactly what the API
says. It is streamed: each table is one query read in chunks (`iterator(chunk_size=...)`), the
zip written to a buffer that is emptied after every chunk, so memory stays flat whatever the
number of activities.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sasaeai.directory.models import Activity, Facet, Kind, Organization, Place, Schedule

from . import hsds

CHUNK = 2000


def _columns(names: str, numbers: str = "", required: str = "id") -> list[dict[str, Any]]:
    numeric, needed = set(numbers.split()), set(required.split())
    return [
        {"name": n, "type": "number" if n in numeric else "string"}
        | ({"constraints": {"required": True}} if n in needed else {})
        for n in names.split()
    ]


# The scalar fields of each HSDS 3.1 table (its JSON schema's string and number properties),
# in the schema's order.
TABLES: dict[str, list[dict[str, Any]]] = {
    "organization": _columns(
        "id name alternate_name description email website tax_status tax_id year_incorporated"
        " legal_status logo uri parent_organization_id",
        "year_incorporated",
        "id name description",
    ),
    "service": _columns(
        "id organization_id program_id name alternate_name description url email status"
        " interpretation_services application_process fees_description wait_time fees"
        " accreditations eligibility_description minimum_age maximum_age assured_date"
        " assurer_email licenses alert last_modified",
        "minimum_age maximum_age",
        "id name status",
    ),
    "location": _columns(
        "id location_type url organization_id name alternate_name description transportation"
        " latitude longitude external_identifier external_identifier_type",
        "latitude longitude",
        "id location_type",
    ),
    "address": _columns(
        "id location_id attention address_1 address_2 city region state_province postal_code"
        " country address_type",
        "",
        "id address_1 city state_province country address_type",
    ),
    "service_at_location": _columns("id service_id location_id description"),
    "schedule": _columns(
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone"
        " until count wkst freq interval byday byweekno bymonthday byyearday description"
        " opens_at closes_at schedule_link attending_type notes",
        "timezone count interval",
    ),
    "phone": _columns(
        "id location_id service_id organization_id contact_id service_at_location_id number"
        " extension type description",
        "extension",
        "id number",
    ),
    "contact": _columns(
        "id organization_id service_id service_at_location_id location_id name title"
        " department email"
    ),
    "taxonomy": _columns("id name description uri version", "", "id name description"),
    "taxonomy_term": _columns(
        "id code name description parent_id taxonomy language taxonomy_id term_uri",
        "",
        "id name description",
    ),
    "attribute": _columns("id link_id taxonomy_term_id link_type link_entity value label"),
}
ENUMS = {
    ("service", "status"): ["active", "inactive", "defunct", "temporarily closed"],
    ("location", "location_type"): ["physical", "postal", "virtual"],
    ("address", "address_type"): ["physical", "postal", "virtual"],
    ("schedule", "wkst"): ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    ("schedule", "freq"): ["WEEKLY", "MONTHLY"],
}
FOREIGN_KEYS = {
    "service": [("organization_id", "organization")],
    "address": [("location_id", "location")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
    "schedule": [("service_id", "service")],
    "phone": [("service_id", "service")],
    "contact": [("service_id", "service")],
    "taxonomy_term": [("taxonomy_id", "taxonomy")],
    "attribute": [("taxonomy_term_id", "taxonomy_term")],
}


def descriptor(mapper: hsds.Mapper, licence: dict[str, str]) -> dict[str, Any]:
    """datapackage.json: each table a tabular data resource with its fields and keys."""
    resources = []
    for table, fields in TABLES.items():
        schema_fields = []
        for field in fields:
            enum = ENUMS.get((table, field["name"]))
            if enum:
                field = field | {"constraints": field.get("constraints", {}) | {"enum": enum}}
            schema_fields.append(field)
        schema: dict[str, Any] = {"fields": schema_fields, "primaryKey": ["id"]}
        keys = FOREIGN_KEYS.get(table)
        if keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": target, "fields": ["id"]}}
                for column, target in keys
            ]
        resources.append({
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        })  # fmt: skip
    code = mapper.municipality.code
    return {
        "profile": "tabular-data-package",
        "name": f"hsds-{code}",
        "title": f"{mapper.municipality.name} 支え合い活動（HSDS 3.1）",
        "version": hsds.VERSION,
        "homepage": mapper.link("/opendata/"),
        "licenses": [licence],
        "resources": resources,
    }


def _organizations(mapper: hsds.Mapper) -> QuerySet[Organization]:
    public = Activity.objects.of(mapper.municipality).public()
    return Organization.objects.filter(
        municipality=mapper.municipality, pk__in=public.values("organization")
    ).order_by("id")


def rows(mapper: hsds.Mapper) -> dict[str, Callable[[], Iterable[dict[str, Any]]]]:
    """Each table's rows, made lazily (a generator per table, chunked queries)."""
    municipality = mapper.municipality
    public = Activity.objects.of(municipality).public()

    def service_id(pk: int) -> str:
        return mapper.id("service", pk)

    def activities() -> Iterator[Activity]:
        return hsds.services(municipality).iterator(chunk_size=CHUNK)

    def consented() -> Iterator[Activity]:
        """The activities whose organiser agreed to publish a contact (the rest have none)."""
        chosen = public.filter(contact_public=True).only(*hsds.SERVICE_FIELDS).order_by("id")
        return chosen.iterator(chunk_size=CHUNK)

    def places() -> Iterator[Place]:
        chosen = Place.objects.filter(activity__in=public)
        return hsds.places(chosen).order_by("id").iterator(chunk_size=CHUNK)

    def organization() -> Iterator[dict[str, Any]]:
        for found in _organizations(mapper).iterator(chunk_size=CHUNK):
            yield mapper.organization(found)

    def service() -> Iterator[dict[str, Any]]:
        for activity in activities():
            yield mapper.service_brief(activity)

    def location() -> Iterator[dict[str, Any]]:
        for place in places():
            found = mapper.location(place)
            found.pop("addresses")
            yield found

    def address() -> Iterator[dict[str, Any]]:
        for place in places():
            if place.address:
                yield mapper.address(place)

    def service_at_location() -> Iterator[dict[str, Any]]:
        for place in places():
            found = mapper.service_at_location(place)
            found["location_id"] = found.pop("location")["id"]
            yield found

    def schedule() -> Iterator[dict[str, Any]]:
        chosen = Schedule.objects.filter(activity__in=public).order_by("id")
        for rule in chosen.iterator(chunk_size=CHUNK):
            yield mapper.schedule(rule, service_id(rule.activity_id))

    def phone() -> Iterator[dict[str, Any]]:
        for activity in consented():
            yield from mapper.phones(activity, service_id(activity.pk))

    def contact() -> Iterator[dict[str, Any]]:
        for activity in consented():
            for found in mapper.contacts(activity, service_id(activity.pk)):
                found.pop("phones", None)
                yield found

    def taxonomy() -> Iterator[dict[str, Any]]:
        for facet in Facet.values:
            yield mapper.taxonomy(facet)

    def taxonomy_term() -> Iterator[dict[str, Any]]:
        kinds = Kind.objects.of(municipality).order_by("facet", "sort_order", "id")
        for kind in kinds.iterator(chunk_size=CHUNK):
            yield mapper.taxonomy_term(kind)

    def attribute() -> Iterator[dict[str, Any]]:
        kinds = {kind.pk: kind for kind in Kind.objects.of(municipality)}
        links = Activity.kinds.through.objects.filter(activity__in=public)
        pairs = links.order_by("activity_id", "kind_id").values_list("activity_id", "kind_id")
        for activity_id, kind_id in pairs.iterator(chunk_size=CHUNK):
            if kind_id not in kinds:  # another municipality's kind: never in the usual data
                kinds[kind_id] = Kind.objects.get(pk=kind_id)
            found = mapper.attribute(kinds[kind_id], activity_id, service_id(activity_id))
            found.pop("taxonomy_term")
            yield found

    return {
        "organization": organization,
        "service": service,
        "location": location,
        "address": address,
        "service_at_location": service_at_location,
        "schedule": schedule,
        "phone": phone,
        "contact": contact,
        "taxonomy": taxonomy,
        "taxonomy_term": taxonomy_term,
        "attribute": attribute,
    }


class _Pipe(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they come (zipfile writes
    its entries with data descriptors to such a stream)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def stream(mapper: hsds.Mapper, licence: dict[str, str]) -> Iterator[bytes]:
    """The zip, piece by piece."""
    pipe = _Pipe()
    made = timezone.localtime().timetuple()[:6]

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=made)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        body = json.dumps(descriptor(mapper, licence), ensure_ascii=False, indent=2)
        archive.writestr(member("datapackage.json"), body)
        yield pipe.take()
        for table, make in rows(mapper).items():
            names = [f["name"] for f in TABLES[table]]
            with archive.open(member(f"{table}.csv"), "w", force_zip64=True) as entry:
                text = io.StringIO()
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(names)
                for n, row in enumerate(make(), start=1):
                    writer.writerow([row.get(name, "") for name in names])  # as a DictWriter
                    if n % CHUNK == 0:
                        entry.write(text.getvalue().encode())
                        text.seek(0)
                        text.truncate()
                        yield pipe.take()
                entry.write(text.getvalue().encode())
            yield pipe.take()
    yield pipe.take()
