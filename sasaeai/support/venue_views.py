"""Staff pages of the register of venues and professionals, their bookings and the month
calendar (plain links and forms: it works without JavaScript)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import lookups, services
from .forms import BookingForm, CalendarForm, VenueForm
from .lookups import EDIT, VIEW
from .models import Booking, Venue

WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"]  # the calendar starts on Sunday


@require_GET
@access.require(VIEW)
def venue_list(request: HttpRequest) -> HttpResponse:
    context = {
        "venues": lookups.venues(request),
        "may_manage": lookups.may_manage_some(request.user),
    }
    return render(request, "support/staff/venues.html", context)


def _venue_form(request: HttpRequest, form: VenueForm, venue: Venue | None) -> HttpResponse:
    context = {"form": form, "venue": venue}
    return render(request, "support/staff/venue_form.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def venue_new(request: HttpRequest) -> HttpResponse:
    areas = lookups.require_ward_side(request)
    form = VenueForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        venue = form.save()
        messages.success(request, _("「%(n)s」を登録しました。") % {"n": venue.name})
        return redirect(venue)
    return _venue_form(request, form, None)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = lookups.venue(request, pk, manage=True)
    areas = lookups.managed_areas(request.user)
    form = VenueForm(request.POST or None, instance=venue, areas=areas)
    back = venue.get_absolute_url()
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("「%(n)s」を保存しました。") % {"n": venue.name})
        return redirect(venue)
    return _venue_form(request, form, venue)


def _venue_page(
    request: HttpRequest, venue: Venue, form: BookingForm | None = None, status: int = 200
) -> HttpResponse:
    may_book = lookups.is_ward_side(request.user, venue.area)
    if may_book and form is None:
        chosen = request.GET.get("request", "")
        initial = {"for_request": chosen} if chosen.isdigit() else {}
        form = BookingForm(initial=initial, requests=lookups.bookable_requests(request))
    context = {
        "venue": venue,
        "bookings": venue.bookings.upcoming().select_related("request"),
        "may_book": may_book,
        "form": form,
    }
    return render(request, "support/staff/venue.html", context, status=status)


@require_GET
@access.require(VIEW)
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _venue_page(request, lookups.venue(request, pk))


@require_POST
@access.require(EDIT)
def venue_book(request: HttpRequest, pk: int) -> HttpResponse:
    venue = lookups.venue(request, pk, manage=True)
    form = BookingForm(request.POST, requests=lookups.bookable_requests(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book(
                venue, starts_at=data["starts_at"], ends_at=data["ends_at"],
                purpose=data["purpose"], by=request.user, request=data["for_request"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("%(w)s を予約しました。") % {"w": booking.when})
            return redirect(venue)
    return _venue_page(request, venue, form, status=400)


@require_POST
@access.require(EDIT)
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = lookups.booking(request, pk, manage=True)
    venue = booking.venue
    when = booking.when
    booking.delete()
    messages.success(request, _("%(w)s の予約を取り消しました。") % {"w": when})
    return redirect(venue)


def _month_link(first: dt.date, venue: Venue | None) -> str:
    query = f"?month={first:%Y-%m}" + (f"&venue={venue.pk}" if venue else "")
    return reverse("support_staff:calendar") + query


def _days(bookings: list[Booking]) -> dict[dt.date, list[Booking]]:
    by_day: dict[dt.date, list[Booking]] = defaultdict(list)
    for booking in bookings:
        day = timezone.localtime(booking.starts_at).date()
        last = timezone.localtime(booking.ends_at - dt.timedelta(microseconds=1)).date()
        while day <= last:
            by_day[day].append(booking)
            day += dt.timedelta(days=1)
    return by_day


@require_GET
@access.require(VIEW)
def booking_calendar(request: HttpRequest) -> HttpResponse:
    """The month of bookings of the venues the person may see, as a grid and as a list."""
    venues = lookups.venues(request)
    form = CalendarForm(request.GET or None, venues=venues)
    first, venue = timezone.localdate().replace(day=1), None
    if form.is_bound and form.is_valid():
        first, venue = form.cleaned_data["month"], form.cleaned_data["venue"]
    if not form.errors:  # show the month on view in the field
        form = CalendarForm(initial={"month": f"{first:%Y-%m}", "venue": venue}, venues=venues)
    bookings = Booking.objects.filter(venue__in=[venue] if venue else venues)
    by_day = _days(list(bookings.in_month(first).select_related("venue", "request")))
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context: dict[str, Any] = {
        "form": form,
        "first": first,
        "venue": venue,
        "weekdays": WEEKDAYS,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "days": sorted((d, b) for d, b in by_day.items() if d.month == first.month),
        "previous": _month_link(previous, venue),
        "following": _month_link(following, venue),
        "today": timezone.localdate(),
    }
    return render(request, "support/staff/calendar.html", context)
