"""The public directory: residents search, read, print and tell us about activities."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaContact
from sasaeai.lib import memo, photos
from sasaeai.lib.prepared import Prepared, PreparedIn
from sasaeai.lib.public_cache import public_page
from sasaeai.lib.ratelimit import HourlyLimit

from .forms import ProposalForm, SearchForm, Taxon
from .models import SCHEDULE_WORDS, Activity, Kind, Place, Schedule, schedule_in_words
from .search_plan import COUNT_LIMIT
from .search_query import DEFAULT_RADIUS_KM, Point
from .search_results import Listing, public_search

PER_PAGE = 20
MAX_KEY = 2**63 - 1  # the largest key any database here stores (a 64-bit integer)
FILTERS = ("area", "kind", "weekday", "time", "free", "newcomers", "step_free")
RESULT_FIELDS = ("id", "name", "is_free", "fee", "area__name", "kind_bits")
PROPOSALS = HourlyLimit("proposals", per_hour=5)
# A photo's address names its file, so what it answers never changes; an hour bounds how long a
# browser keeps showing the photo of an activity taken off the public site.
PUBLIC_PHOTO_CACHE = "public, max-age=3600"


def _municipality(request: HttpRequest) -> Area:
    return access.public_municipality(request)


@access.public
@public_page
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = SearchForm(request.GET or None, municipality=municipality)
    listed: Listing | list[dict[str, Any]] = []
    origin: Point | None = None
    data: dict[str, Any] = {}
    if form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        origin = data.get("near")
        # Only what a result shows: a row of the listing is small, the search columns are not.
        listed = public_search(municipality, data, RESULT_FIELDS)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    found = _results(list(page), origin, form.kinds)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "results": found,
        "query": query.urlencode(),
        "markers": [r.marker() for r in found if r.point],
        "near": origin,
        # The extra conditions stay open when one of them is in use.
        "filtered": any(data.get(name) for name in FILTERS),
        "radius": data.get("radius") or DEFAULT_RADIUS_KM,
        "tile_url": settings.TILE_URL,
        "centre": [municipality.latitude, municipality.longitude],
        "count_limit": COUNT_LIMIT,
    }
    return render(request, "directory/search.html", context)


@dataclass(frozen=True)
class Result:
    """One activity in the results list, with all it shows worked out: the list is drawn
    on every search, and a line of text costs the template less than a loop."""

    url: str
    name: str
    meta: str  # where and what: 高島平 ・サロン ・体操・スポーツの集まり
    schedules: list[str]  # when, in words
    facts: list[str]  # when, where, and what it costs
    km: float | None  # from the searched point to its nearest place
    point: tuple[float, float] | None  # its first place on the map

    @property
    def distance(self) -> str:
        """約 1.2 km (formatted here: a template's blocktranslate costs ten times as much, and
        floatformat thirty times an f-string; a distance needs neither's rounding rules)."""
        if self.km is None:
            return ""
        return _("約 %(d)s km") % {"d": f"{self.km:.1f}"}

    def marker(self) -> dict[str, object]:
        assert self.point is not None
        return {"lat": self.point[0], "lng": self.point[1], "name": self.name, "url": self.url}


def _results(
    activities: list[dict[str, Any]], origin: Point | None, taxonomy: list[Taxon]
) -> list[Result]:
    """The page's activities as results. Their places and schedules come in one query each,
    grouped here; their kinds are the bits of `kind_bits`, named from the taxonomy the search
    form already holds, in its order (kinds past the bits, if any, from their links): a page
    of twenty needs no more than the few columns it shows."""
    ids = [activity["id"] for activity in activities]
    linked: dict[int, set[int]] = defaultdict(set)
    if unbitted := [kind.pk for kind in taxonomy if kind.bit is None]:
        links = Activity.kinds.through.objects.filter(activity_id__in=ids, kind_id__in=unbitted)
        for activity_id, kind_id in links.values_list("activity_id", "kind_id"):
            linked[activity_id].add(kind_id)
    places: dict[int, list[tuple[str, float | None, float | None]]] = defaultdict(list)
    for activity_id, name, latitude, longitude in _PLACES_OF(ids):
        places[activity_id].append((name, latitude, longitude))
    schedules: dict[int, list[str]] = defaultdict(list)
    for activity_id, *columns in _SCHEDULES_OF(ids):
        schedules[activity_id].append(schedule_in_words(*columns))
    url = _url_maker("directory:detail")
    free, ask = _("無料"), _("参加費はお問い合わせください")
    found = []
    for activity in activities:
        pk = activity["id"]
        mapped = [(lat, lng) for _name, lat, lng in places[pk] if lat is not None]
        named = [kind.name for kind in taxonomy if _holds(kind, activity["kind_bits"], linked[pk])]
        fee = free if activity["is_free"] else activity["fee"] or ask
        found.append(
            Result(
                url=url(pk),
                name=activity["name"],
                meta="".join([activity["area__name"], *(f" ・{name}" for name in named)]),
                schedules=schedules[pk],
                facts=[*schedules[pk], *(name for name, _lat, _lng in places[pk]), fee],
                km=min(origin.km_to(*p) for p in mapped) if origin and mapped else None,  # type: ignore[arg-type]
                point=mapped[0] if mapped else None,  # type: ignore[arg-type]
            )
        )
    return found


# The places and schedules of a page of results, their SQL written once per page length.
_PLACES_OF = PreparedIn(
    lambda ids: (
        Place.objects.filter(activity_id__in=ids)
        .order_by("id")
        .values_list("activity_id", "name", "latitude", "longitude")
    )
)
_SCHEDULES_OF = PreparedIn(
    lambda ids: (
        Schedule.objects.filter(activity_id__in=ids)
        .order_by("id")
        .values_list("activity_id", *SCHEDULE_WORDS)
    )
)


def _url_maker(name: str) -> Callable[[int], str]:
    """The URL of each object of a list from one reverse(): a list shows twenty."""
    sentinel = "2147483647"
    before, _sentinel, after = reverse(name, args=[sentinel]).partition(sentinel)
    return lambda pk: f"{before}{pk}{after}"


def _holds(kind: Taxon, bits: int, linked: set[int]) -> bool:
    """Is the activity of this kind, by its bit in `kind_bits` or else by its links?"""
    return bool(bits >> kind.bit & 1) if kind.bit is not None else kind.pk in linked


def _marker(activity: Activity, places: list[Place]) -> dict[str, object] | None:
    place = next((p for p in places if p.latitude is not None), None)
    if place is None:
        return None
    return {"lat": place.latitude, "lng": place.longitude, "name": activity.name,
            "url": activity.get_absolute_url()}  # fmt: skip


def _public_activity(request: HttpRequest, pk: int) -> Activity:
    if not 0 < pk <= MAX_KEY:
        raise Http404  # an address no key reaches: the database would refuse the number
    activity = next(iter(_ACTIVITY(_municipality(request).pk, pk)), None)
    if activity is None:
        raise Http404
    return activity


# The activity page's four questions, their SQL written once (prepared.py): writing it cost
# the page more than running it.
_ACTIVITY = Prepared(
    lambda municipality, pk: (
        Activity.objects.filter(municipality_id=municipality)
        .public()
        .select_related("area", "organization")
        .filter(pk=pk)
        .order_by()[:1]
    ),  # one row by its key: the listing's order would only cost its compiling
    arity=2,
)
_KINDS = Prepared(lambda pk: Kind.objects.filter(activities__id=pk), arity=1)
_SCHEDULES = Prepared(lambda pk: Schedule.objects.filter(activity_id=pk), arity=1)
_PLACES = Prepared(lambda pk: Place.objects.filter(activity_id=pk), arity=1)


@access.public
@public_page
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _public_activity(request, pk)
    # Read here, once each: the template only draws them (the places serve the map too).
    places = _PLACES(activity.pk)
    context = {
        "activity": activity,
        "kinds": _KINDS(activity.pk),
        "schedules": _SCHEDULES(activity.pk),
        "places": places,
        "tile_url": settings.TILE_URL,
        "marker": _marker(activity, places),
        # Its region's SC, remembered as the footer's desk is (core.context_processors).
        "footer_desk": memo.remember(
            ("desk", activity.area_id), lambda: AreaContact.objects.nearest(activity.area), 0.5
        ),
    }
    return render(request, "directory/detail.html", context)


@access.public
@public_page
@require_GET
def photo(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """An activity's photo, to whoever may see the activity: anyone while it is public on this
    site, otherwise staff who may see it (access.py). Only this view serves photos: MEDIA_ROOT
    also holds receipts, staged imports and event materials, and has no address of its own."""
    municipality = getattr(request, "municipality", None)
    public = (
        Activity.objects.public().filter(pk=pk, municipality=municipality).only("photo").first()
    )
    if public is None and not request.user.is_authenticated:
        raise Http404
    activity = public or access.get_object(request, Activity.objects.all(), Capability.VIEW, pk=pk)
    if not activity.photo or PurePosixPath(activity.photo.name or "").name != name:
        raise Http404  # a replaced photo's old address, or a guess
    etag = f'"{name}"'
    if public and request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(*_photo_file(activity))
    if public:
        response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_PHOTO_CACHE if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo_file(activity: Activity) -> tuple[bytes, str]:
    """The photo's bytes and their type, read from the bytes; 404 for a missing file or one
    that is not an image we store."""
    try:
        with activity.photo.open("rb") as file:
            content = file.read()
    except FileNotFoundError:
        raise Http404 from None
    kind = photos.kind_of(content)
    if not kind:
        raise Http404
    return content, kind


@access.public
@public_page
@require_GET
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _public_activity(request, pk)
    url = request.build_absolute_uri(activity.get_absolute_url())
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    qr = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return render(request, "directory/print.html", {"activity": activity, "qr": qr, "url": url})


@access.public
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    activity = None
    if about := request.GET.get("activity", "").strip():
        activity = _public_activity(request, int(about)) if about.isdigit() else None
    initial = {"kind": "new"}
    if activity is not None:
        initial = {"kind": "correction", "name": activity.name, "area": activity.area.code}
    data = request.POST if request.method == "POST" else None  # an empty POST is a POST
    form = ProposalForm(data, initial=initial, municipality=municipality)
    if request.method == "POST":
        if PROPOSALS.reached(request) or (form.is_valid() and not PROPOSALS.take(request)):
            context = {"form": form, "limited": True}
            return render(request, "directory/propose.html", context, status=429)
        if form.is_valid():
            proposal = form.save(commit=False)
            proposal.municipality = municipality
            proposal.activity = activity
            proposal.save()
            messages.success(
                request, _("お知らせありがとうございました。地域のコーディネーターが確認します。")
            )
            return redirect("directory:propose_thanks")
    return render(request, "directory/propose.html", {"form": form, "activity": activity})


@access.public
@require_GET
def propose_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/propose_thanks.html")
