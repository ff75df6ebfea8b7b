"""The HSDS 3.1 read API of a municipality's public directory (no sign-in): the paths, paging
and query parameters of ../shared/standards/hsds-3.1/openapi.json, the items as hsds.py makes
them. The municipality is the one of the site's host name, as on every public page.

At 100,000 activities (bench/api_bench.py) a list is answered without reading the table:
- its count is remembered (`_listed`) for as long as no activity of the municipality has
  changed (the latest `updated_at`, one step down an index, read with the page itself),
  COUNT_SECONDS at most; counting 80,000 public rows cost 40 ms and more on PostgreSQL;
- a page's ids come from an index alone (`_page`: the public activities by id, or the public
  places by id), read from the far end for a page past the middle, and only those rows are
  read, by id (a deep OFFSET over the rows themselves cost 100 to 400 ms for the last page);
- a kind is a bit test on `Activity.kind_bits` (in that index), where the kind has a bit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import F, Model, Q, QuerySet, Subquery
from django.db.models.lookups import GreaterThan
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity, Facet, Kind, Organization, Place
from sasaeai.lib import memo

from . import hsds, ids
from .problems import Problem

router = Router(tags=["HSDS 3.1（公開データ）"])
PER_PAGE, MOST = 50, 200
# How long a count is remembered at most: an activity deleted (only the admin deletes one)
# changes no `updated_at`.
COUNT_SECONDS = 60.0
type Reader[M: Model] = Callable[[QuerySet[M]], QuerySet[M]]  # the columns a list reads


class Item(BaseModel):
    """An HSDS object; its fields are those of the HSDS schema of the same name (a plain
    pydantic model: ninja's Schema would drop the fields it does not declare)."""

    model_config = ConfigDict(extra="allow")
    id: str


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[Item]


# What each kind of answer may be: the data, or a problem document (problems.py).
LIST = {200: Page, 422: Problem}
ONE = {200: Item, 404: Problem, 422: Problem}


class Paging(Schema):
    page: int = Field(1, ge=1, description="ページ番号（1から）")
    per_page: int = Field(PER_PAGE, ge=1, le=MOST, description="1ページの件数（200まで）")


class ServiceFilters(Paging):
    taxonomy_term_id: str | None = Field(None, description="この種類（taxonomy_term）の活動だけ")
    taxonomy_id: str | None = Field(None, description="この分類（taxonomy）の種類をもつ活動だけ")
    organization_id: str | None = Field(None, description="この団体の活動だけ")
    modified_after: dt.datetime | None = Field(None, description="この日時より後に変わった活動だけ")
    minimal: bool = Field(False, description="id と last_modified だけを返す")

    @field_validator("modified_after", mode="before")
    @classmethod
    def written_as_a_date(cls, value: Any) -> Any:
        """An ISO 8601 date and time only: pydantic would read "0.5" as seconds since 1970."""
        if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(_("日時は 2026-04-01T00:00:00+09:00 の形で書いてください。"))
        return value

    @field_validator("modified_after")
    @classmethod
    def in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        """In UTC (without a zone: Japan's time): PostgreSQL refuses offsets past ±15:59."""
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(_("その日時は扱えません。")) from None


class About(Schema):
    version: str
    profile: str
    openapi_url: str


def page_of(queryset: QuerySet[Any], paging: Paging, item: Any) -> dict[str, Any]:
    total = queryset.count()
    start = (paging.page - 1) * paging.per_page
    rows = list(queryset[start : start + paging.per_page]) if start < total else []
    return paged(rows, total, paging, item)


def paged(rows: list[Any], total: int, paging: Paging, item: Any) -> dict[str, Any]:
    """The HSDS page of these rows, `total` in all."""
    pages = max(1, math.ceil(total / paging.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(rows),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": not rows,
        "contents": [item(row) for row in rows],
    }


def _mapper(request: HttpRequest) -> hsds.Mapper:
    return hsds.Mapper(access.public_municipality(request))


def _one[M: Model](rows: QuerySet[M], mapper: hsds.Mapper, table: str, value: str,
                   missing: str) -> M:  # fmt: skip
    """The row of `rows` an HSDS id of `table` names; 404 saying `missing` for any other."""
    found = rows.filter(pk=_key(mapper, table, value)).first()
    if found is None:
        raise Http404(missing)
    return found


def _key(mapper: hsds.Mapper, table: str, value: str | None) -> int:
    """The key an id of the filter names; -1 (matches nothing) for a wrong one."""
    found = ids.key(mapper.code, table, value or "")
    return -1 if found is None else found


@router.get("/", response=About, summary="このAPIについて")
def about(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": hsds.VERSION,
        "profile": "https://specification.openreferral.org/",
        "openapi_url": request.build_absolute_uri("../schema/"),
    }


def _latest(municipality: Area) -> QuerySet[Activity, Any]:
    """When any activity of the municipality last changed (saved, imported, made public or
    not): one step down the index `activity_changed`."""
    latest = Activity.objects.of(municipality).order_by("-updated_at")
    return latest.values("updated_at")[:1]


def _listed[M: Model](
    listing: QuerySet[M], municipality: Area, what: Hashable, paging: Paging, read: Reader[M]
) -> tuple[list[M], int]:
    """The page's rows of `listing` (the list `what` of the municipality) in id order, and
    how many rows it holds in all. The count is remembered with the latest change it saw,
    for COUNT_SECONDS at most; the page is read with the latest change as it is now, so
    while nothing changes a page costs one query, and after a change, three (the change,
    the count, the page)."""
    remembered: dict[str, tuple[Any, int]] = memo.remember(
        ("hsds-count", connection.alias, municipality.pk, what), dict, COUNT_SECONDS
    )
    known = remembered.get("count")  # (the latest change, the count then), taken once
    if known is not None:
        rows = _page(listing, paging, known[1], read, municipality)
        if rows and getattr(rows[0], "latest_change", None) == known[0]:
            return rows, known[1]
    changed = _latest(municipality).values_list("updated_at", flat=True).first()
    total = listing.count()
    remembered["count"] = (changed, total)
    return _page(listing, paging, total, read, municipality), total


def _page[M: Model](
    listing: QuerySet[M], paging: Paging, total: int, read: Reader[M], municipality: Area
) -> list[M]:
    """The page's rows of `listing` in id order: their ids from an index alone, counted from
    the nearer end (the last page is as quick as the first), then `read` those rows by id,
    each with the municipality's latest change (`latest_change`, the same in every row)."""
    start = (paging.page - 1) * paging.per_page
    end = min(start + paging.per_page, total)
    if start >= end:
        return []
    if start <= total - end:
        chosen = listing.order_by("pk").values("pk")[start:end]
    else:
        chosen = listing.order_by("-pk").values("pk")[total - end : total - start]
    rows = read(listing.model._default_manager.filter(pk__in=chosen))
    return list(rows.annotate(latest_change=Subquery(_latest(municipality))).order_by("pk"))


def _kinds_in(municipality: Area) -> list[Kind]:
    """The municipality's kinds in the taxonomy's order; remembered (a kind's save or delete
    clears it: directory/signals.py)."""
    kinds = Kind.objects.of(municipality).order_by("facet", "sort_order", "id")
    return memo.remember(("hsds-kinds", municipality.pk), lambda: list(kinds))


def _of_kinds(municipality: Area, chosen: Callable[[int, str], bool]) -> Q | None:
    """Activities of any chosen kind as a bit test on `kind_bits`, when each has a bit; else
    through the kind links (distinct); None when no kind is chosen."""
    kinds = [(k.pk, k.bit) for k in _kinds_in(municipality) if chosen(k.pk, k.facet)]
    if not kinds:
        return None
    if all(bit is not None for _pk, bit in kinds):
        mask = sum(1 << bit for _pk, bit in kinds if bit is not None)
        return Q(GreaterThan(F("kind_bits").bitand(mask), 0))
    return Q(pk__in=Activity.kinds.through.objects.filter(kind_id__in=[pk for pk, _b in kinds])
             .values("activity_id"))  # fmt: skip


@router.get("/services", response=LIST, summary="活動の一覧")
def services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    mapper = _mapper(request)
    municipality = mapper.municipality
    queryset = Activity.objects.of(municipality).public()
    if filters.taxonomy_term_id is not None:
        term = _key(mapper, "taxonomy_term", filters.taxonomy_term_id)
        kind = _of_kinds(municipality, lambda pk, _facet: pk == term)
        queryset = queryset.none() if kind is None else queryset.filter(kind)
    if filters.taxonomy_id is not None:
        facet = next(
            (f for f in Facet.values if mapper.id(f"taxonomy-{f}", 1) == filters.taxonomy_id), ""
        )
        kind = _of_kinds(municipality, lambda _pk, of: of == facet)
        queryset = queryset.none() if kind is None else queryset.filter(kind)
    organization = None
    if filters.organization_id is not None:
        organization = _key(mapper, "organization", filters.organization_id)
        queryset = queryset.filter(organization_id=organization)
    if filters.modified_after is not None:
        queryset = queryset.filter(updated_at__gt=filters.modified_after)
    what = ("services", filters.taxonomy_term_id, filters.taxonomy_id, organization,
            filters.modified_after)  # fmt: skip
    if filters.minimal:

        def minimal(a: Activity) -> dict[str, Any]:
            return {"id": mapper.id("service", a.pk), "last_modified": hsds.stamp(a.updated_at)}

        only = lambda chosen: chosen.only("id", "updated_at")  # noqa: E731
        rows, total = _listed(queryset, municipality, what, filters, only)
        return paged(rows, total, filters, minimal)
    rows, total = _listed(queryset, municipality, what, filters, hsds.readable)
    return paged(rows, total, filters, mapper.service_brief)


@router.get("/services/{id}", response=ONE, summary="活動ひとつ（日程・場所・種類つき）")
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    kinds = _kinds_in(mapper.municipality)
    if any(kind.bit is None for kind in kinds):  # past the bits: the links tell
        activities = hsds.nested(hsds.services(mapper.municipality))
        found = _one(activities, mapper, "service", id, _("その活動は見つかりません。"))
        return mapper.service(found, list(found.kinds.all()))
    # Its kinds are the bits of kind_bits, named from the remembered taxonomy (no query).
    activities = hsds.nested(hsds.services(mapper.municipality, "kind_bits"), kinds=False)
    found = _one(activities, mapper, "service", id, _("その活動は見つかりません。"))
    return mapper.service(found, [k for k in kinds if found.kind_bits & (k.mask or 0)])


def _organizations(mapper: hsds.Mapper) -> QuerySet[Organization]:
    """Groups with at least one public activity: a group known only to staff stays unknown."""
    public = Activity.objects.of(mapper.municipality).public()
    return Organization.objects.filter(
        municipality=mapper.municipality, pk__in=public.values("organization")
    ).order_by("id")


@router.get("/organizations", response=LIST, summary="団体の一覧")
def organizations(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    mapper = _mapper(request)
    return page_of(_organizations(mapper), paging, mapper.organization)


@router.get("/organizations/{id}", response=ONE, summary="団体ひとつ")
def organization(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    missing = _("その団体は見つかりません。")
    return mapper.organization(_one(_organizations(mapper), mapper, "organization", id, missing))


@router.get("/taxonomies", response=LIST, summary="分類の一覧")
def taxonomies(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    mapper = _mapper(request)
    facets = [mapper.taxonomy(facet) for facet in Facet.values]
    start = (paging.page - 1) * paging.per_page
    shown = facets[start : start + paging.per_page]
    return {"total_items": len(facets), "total_pages": 1, "page_number": paging.page,
            "size": len(shown), "first_page": paging.page == 1, "last_page": True,
            "empty": not shown, "contents": shown}  # fmt: skip


@router.get("/taxonomies/{id}", response=ONE, summary="分類ひとつ")
def taxonomy(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    for facet in Facet.values:
        if mapper.id(f"taxonomy-{facet}", 1) == id:
            return mapper.taxonomy(facet)
    raise Http404(_("その分類は見つかりません。"))


def _kinds(mapper: hsds.Mapper) -> QuerySet[Kind]:
    return Kind.objects.of(mapper.municipality).order_by("facet", "sort_order", "id")


@router.get("/taxonomy_terms", response=LIST, summary="種類の一覧")
def taxonomy_terms(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    mapper = _mapper(request)
    return page_of(_kinds(mapper), paging, mapper.taxonomy_term)


@router.get("/taxonomy_terms/{id}", response=ONE, summary="種類ひとつ")
def taxonomy_term(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    missing = _("その種類は見つかりません。")
    return mapper.taxonomy_term(_one(_kinds(mapper), mapper, "taxonomy_term", id, missing))


def _places(mapper: hsds.Mapper) -> QuerySet[Place]:
    """The places of public activities: `listed` is the place's copy of its activity being
    public (kept by the directory for the search), so no join decides it."""
    listed = Place.objects.filter(municipality=mapper.municipality, listed=True)
    return listed.order_by("id")


@router.get("/service_at_locations", response=LIST, summary="活動と場所の組の一覧")
def service_at_locations(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    mapper = _mapper(request)
    listed = _places(mapper)
    rows, total = _listed(listed, mapper.municipality, "service_at_locations", paging, hsds.places)
    return paged(rows, total, paging, mapper.service_at_location)


@router.get("/service_at_locations/{id}", response=ONE, summary="活動と場所の組ひとつ")
def service_at_location(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    missing = _("その場所は見つかりません。")
    place = _one(hsds.places(_places(mapper)), mapper, "service_at_location", id, missing)
    return mapper.service_at_location(place)
