"""The HSDS 3.1 read API of a municipality's public directory (no sign-in): the paths, paging
and query parameters of ../shared/standards/hsds-3.1/openapi.json, the items as hsds.py makes
them. The municipality is the one of the site's host name, as on every public page."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sasaeai.accounts import access
from sasaeai.directory.models import Activity, Facet, Kind, Organization, Place

from . import hsds, ids
from .problems import Problem

router = Router(tags=["HSDS 3.1（公開データ）"])
PER_PAGE, MOST = 50, 200


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
    pages = max(1, math.ceil(total / paging.per_page))
    start = (paging.page - 1) * paging.per_page
    rows = list(queryset[start : start + paging.per_page]) if start < total else []
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


@router.get("/services", response=LIST, summary="活動の一覧")
def services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    mapper = _mapper(request)
    queryset = hsds.services(mapper.municipality)
    if filters.taxonomy_term_id is not None:
        queryset = queryset.filter(kinds=_key(mapper, "taxonomy_term", filters.taxonomy_term_id))
    if filters.taxonomy_id is not None:
        facet = next(
            (f for f in Facet.values if mapper.id(f"taxonomy-{f}", 1) == filters.taxonomy_id), ""
        )
        queryset = queryset.filter(kinds__facet=facet).distinct()
    if filters.organization_id is not None:
        organization = _key(mapper, "organization", filters.organization_id)
        queryset = queryset.filter(organization_id=organization)
    if filters.modified_after is not None:
        queryset = queryset.filter(updated_at__gt=filters.modified_after)
    if filters.minimal:
        rows = queryset.only("id", "updated_at").select_related(None)

        def minimal(a: Activity) -> dict[str, Any]:
            return {"id": mapper.id("service", a.pk), "last_modified": hsds.stamp(a.updated_at)}

        return page_of(rows, filters, minimal)
    return page_of(queryset, filters, mapper.service_brief)


@router.get("/services/{id}", response=ONE, summary="活動ひとつ（日程・場所・種類つき）")
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    activities = hsds.nested(hsds.services(mapper.municipality))
    return mapper.service(_one(activities, mapper, "service", id, _("その活動は見つかりません。")))


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
    return listed.select_related("activity").order_by("id")


@router.get("/service_at_locations", response=LIST, summary="活動と場所の組の一覧")
def service_at_locations(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    mapper = _mapper(request)
    return page_of(_places(mapper), paging, lambda p: mapper.service_at_location(p.activity, p))


@router.get("/service_at_locations/{id}", response=ONE, summary="活動と場所の組ひとつ")
def service_at_location(request: HttpRequest, id: str) -> dict[str, Any]:
    mapper = _mapper(request)
    missing = _("その場所は見つかりません。")
    place = _one(_places(mapper), mapper, "service_at_location", id, missing)
    return mapper.service_at_location(place.activity, place)
