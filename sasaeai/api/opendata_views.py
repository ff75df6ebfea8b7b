"""/opendata/: the municipality's open data sets, public and without sign-in — the page that
lists them, a DCAT-style catalogue (catalog.json) and the files themselves.

Each file carries an ETag and Last-Modified made from a cheap summary of its records (counts
and latest changes, a few queries), so a conditional GET is answered 304 without building the
file (Django's `condition`). The page, the catalogue and the CSVs go through the page cache
(`public_page`); the HSDS zip is streamed (`datapackage.stream`), which the proxy never keeps.

The licence is CC BY 4.0 unless settings.OPEN_DATA_LICENCES names another for the
municipality's code: {"131199": {"name": ..., "title": ..., "path": ...}}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity, Kind, Place, Schedule
from sasaeai.lib.public_cache import public_page

from . import datapackage, hsds, municipal

CC_BY = {
    "name": "CC-BY-4.0",
    "title": "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.ja",
}


def licence(municipality: Area) -> dict[str, str]:
    chosen: dict[str, dict[str, str]] = getattr(settings, "OPEN_DATA_LICENCES", {})
    return chosen.get(municipality.code, CC_BY)


def hsds_version(municipality: Area) -> tuple[Any, ...]:
    public = Activity.objects.of(municipality).public()
    a = public.aggregate(n=Count("pk"), at=Max("updated_at"), top=Max("pk"))
    places = Place.objects.filter(activity__in=public).aggregate(n=Count("pk"), top=Max("pk"))
    rules = Schedule.objects.filter(activity__in=public).aggregate(n=Count("pk"), top=Max("pk"))
    kinds = Kind.objects.of(municipality).aggregate(n=Count("pk"), top=Max("pk"))
    return (a["n"], a["at"], a["top"], *places.values(), *rules.values(), *kinds.values())


@dataclass(frozen=True)
class DataSet:
    slug: str
    route: str
    title: str | Promise
    description: str | Promise
    format: str | Promise
    mediatype: str
    version: Callable[[Area], tuple[Any, ...]]
    standard: str


DATA_SETS = [
    DataSet(
        "hsds",
        "opendata:hsds",
        _("支え合い活動の一覧（HSDS 3.1）"),
        _(
            "公開している支え合い活動（通いの場、サロン、体操の会など）の名前、日時、場所、"
            "種類、団体です。国際的な形式（HSDS 3.1）の表（CSV）をまとめて ZIP にしています。"
            "連絡先は、載せてよいと言われたものだけです。"
        ),
        _("ZIP（CSV と datapackage.json）"),
        "application/zip",
        hsds_version,
        "https://docs.openreferral.org/en/latest/hsds/",
    ),
    DataSet(
        "events",
        "opendata:events",
        _("イベント一覧"),
        _(
            "区民の方が参加できる催し（体験会、交流会など）と、公開している研修の予定です。"
            "自治体標準オープンデータセットの「イベント一覧」の形式です。"
            "通いの場などの活動の日程（今日から3か月分、1回ごとに1行）も入れるときは、"
            "アドレスの終わりに ?sessions=1 を付けてください（events.csv?sessions=1）。"
        ),
        _("CSV（UTF-8、BOM付き）"),
        "text/csv",
        municipal.events_version,
        "https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test",
    ),
    DataSet(
        "institutions",
        "opendata:institutions",
        _("相談できる専門機関の一覧"),
        _(
            "おとしより相談センター（地域包括支援センター）など、介護や健康のことを相談できる"
            "ところです。自治体標準オープンデータセットの「介護サービス事業所一覧」に近い形式です。"
        ),
        _("CSV（UTF-8、BOM付き）"),
        "text/csv",
        municipal.institutions_version,
        "https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test",
    ),
]
BY_SLUG = {d.slug: d for d in DATA_SETS}


def _summary(request: HttpRequest, slug: str) -> tuple[str, dt.datetime | None]:
    """The data set's ETag and last change, worked out once per request."""
    memo: dict[str, tuple[str, dt.datetime | None]] = request.__dict__.setdefault(
        "_opendata_versions", {}
    )
    if slug not in memo:
        municipality = access.public_municipality(request)
        version = BY_SLUG[slug].version(municipality)
        if slug == "events" and _with_sessions(request):  # the activities' next sessions too
            version += (*hsds_version(municipality), timezone.localdate())
        seed = repr((slug, version, licence(municipality)))
        etag = hashlib.sha256(seed.encode()).hexdigest()[:32]
        moments = [v for v in version if isinstance(v, dt.datetime)]
        memo[slug] = (etag, max(moments) if moments else None)
    return memo[slug]


def _with_sessions(request: HttpRequest) -> bool:
    """Does the event list ask for the activities' sessions too (events.csv?sessions=1)?"""
    return request.GET.get("sessions") == "1"


def _conditional(slug: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return condition(
        etag_func=lambda request, *a, **k: _summary(request, slug)[0],
        last_modified_func=lambda request, *a, **k: _summary(request, slug)[1],
    )


def _attachment(response: HttpResponse | StreamingHttpResponse, name: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{name}"'


@access.public
@public_page
@require_GET
@_conditional("events")
def events_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    municipality = access.public_municipality(request)
    if _with_sessions(request):  # up to a million rows: streamed (and so not kept by the proxy)
        today = timezone.localdate()
        chunks = municipal.events_with_sessions_csv(municipality, today)
        streamed = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        _attachment(streamed, "events-sessions.csv")
        return streamed
    body = municipal.events_csv(municipality)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    _attachment(response, "events.csv")
    return response


@access.public
@public_page
@require_GET
@_conditional("institutions")
def institutions_csv(request: HttpRequest) -> HttpResponse:
    body = municipal.institutions_csv(access.public_municipality(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    _attachment(response, "institutions.csv")
    return response


@access.public
@require_GET
@_conditional("hsds")
def hsds_zip(request: HttpRequest) -> StreamingHttpResponse:
    municipality = access.public_municipality(request)
    mapper = hsds.Mapper(municipality)
    chunks = datapackage.stream(mapper, licence(municipality))
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    _attachment(response, f"hsds-{municipality.code}.zip")
    return response


def _entries(request: HttpRequest) -> list[dict[str, Any]]:
    """Each data set as the page and the catalogue show it."""
    municipality = access.public_municipality(request)
    sizes = {
        "events": len(municipal.events_csv(municipality)),
        "institutions": len(municipal.institutions_csv(municipality)),
    }
    found = []
    for data_set in DATA_SETS:
        _etag, modified = _summary(request, data_set.slug)
        found.append({
            "data_set": data_set,
            "url": request.build_absolute_uri(reverse(data_set.route)),
            "path": reverse(data_set.route),
            "modified": modified,
            "size": sizes.get(data_set.slug),
        })  # fmt: skip
    return found


@access.public
@public_page
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    context = {
        "entries": _entries(request),
        "licence": licence(municipality),
        "api_url": reverse("api:about"),
        "catalog_url": reverse("opendata:catalog"),
    }
    return render(request, "opendata/page.html", context)


def _stamp(moment: dt.datetime | None) -> str | None:
    return hsds.stamp(moment) if moment else None


def _catalog_etag(request: HttpRequest) -> str:
    tags = [_summary(request, d.slug)[0] for d in DATA_SETS]
    return hashlib.sha256(" ".join(tags).encode()).hexdigest()[:32]


@access.public
@public_page
@require_GET
@condition(etag_func=_catalog_etag)
def catalog(request: HttpRequest) -> HttpResponse:
    """A DCAT catalogue in JSON-LD: each data set with its distribution."""
    municipality = access.public_municipality(request)
    chosen = licence(municipality)
    publisher = {"@type": "foaf:Organization", "foaf:name": municipality.name}
    datasets = []
    for entry in _entries(request):
        data_set: DataSet = entry["data_set"]
        distribution: dict[str, Any] = {
            "@type": "dcat:Distribution",
            "dct:title": str(data_set.title),
            "dcat:downloadURL": entry["url"],
            "dcat:mediaType": data_set.mediatype,
            "dct:format": str(data_set.format),
            "dct:license": chosen["path"],
            "dct:conformsTo": data_set.standard,
        }
        if entry["size"] is not None:
            distribution["dcat:byteSize"] = entry["size"]
        if entry["modified"] is not None:
            distribution["dct:modified"] = _stamp(entry["modified"])
        datasets.append({
            "@type": "dcat:Dataset",
            "@id": entry["url"],
            "dct:identifier": f"{municipality.code}-{data_set.slug}",
            "dct:title": str(data_set.title),
            "dct:description": str(data_set.description),
            "dct:publisher": publisher,
            "dct:license": chosen["path"],
            "dct:modified": _stamp(entry["modified"]),
            "dct:language": "ja",
            "dcat:distribution": [distribution],
        })  # fmt: skip
    api = request.build_absolute_uri(reverse("api:about"))
    body = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": request.build_absolute_uri(reverse("opendata:catalog")),
        "dct:title": f"{municipality.name} 支え合いのオープンデータ",
        "dct:publisher": publisher,
        "dct:license": chosen["path"],
        "dcat:service": [{"@type": "dcat:DataService", "dct:title": "HSDS 3.1 API",
                          "dcat:endpointURL": api}],
        "dcat:dataset": datasets,
    }  # fmt: skip
    text = json.dumps(body, ensure_ascii=False, indent=2)
    return HttpResponse(text, content_type="application/ld+json; charset=utf-8")
