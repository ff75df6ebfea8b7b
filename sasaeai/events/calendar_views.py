"""Calendar feeds: the personal one behind a secret URL (a calendar program cannot sign in)
and the municipality's public one; the page that shows and resets the secret."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sasaeai.accounts import access
from sasaeai.lib import calendar_entries
from sasaeai.lib.public_cache import public_page

from . import ical, lookups
from .models import CalendarToken, Event, LocalEvent, RegistrationStatus, new_token


@require_GET
@lookups.participants_only
def calendar_page(request: HttpRequest) -> HttpResponse:
    token, _created = CalendarToken.objects.get_or_create(user=lookups.me(request))
    feed = request.build_absolute_uri(reverse("events:feed", args=[token.token]))
    return render(request, "events/calendar.html", {"feed": feed})


@require_POST
@lookups.participants_only
def calendar_reset(request: HttpRequest) -> HttpResponse:
    user = lookups.me(request)
    CalendarToken.objects.update_or_create(user=user, defaults={"token": new_token()})
    messages.success(request, _("カレンダーのURLを新しくしました。前のURLは使えなくなりました。"))
    return redirect("events_staff:calendar")


@access.public
@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = CalendarToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    events = Event.objects.published().filter(
        registrations__user=found.user,
        registrations__status=RegistrationStatus.REGISTERED,
    )
    # Besides the events they registered for, what other apps put in their calendar
    # (lib/calendar_entries.py): the meetings of their council.
    extra = calendar_entries.entries_for(found.user)
    body = ical.calendar(request, events, _("申し込んだ研修・連絡会と会議"), extra=extra)
    return ical.response(body, "my-events.ics")


@access.public
@public_page
@require_GET
def public_feed(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    events = Event.objects.of(municipality).public()
    local = LocalEvent.objects.of(municipality).published()
    name = _("%(m)sの催しの予定") % {"m": municipality.name}
    page = reverse("events:public_list")

    def link(entry: Event | LocalEvent) -> str:
        if isinstance(entry, LocalEvent):
            return entry.public_url()
        return f"{page}#event-{entry.pk}"

    body = ical.calendar(request, [*local, *events], name, link=link)
    return ical.response(body, "events.ics")
