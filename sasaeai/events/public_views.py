"""The public page of a municipality's public events: no sign-in, for residents on phones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.lib.public_cache import public_page

from .models import Event


@access.public
@public_page
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events marked public, of the municipality whose site this is; called-off
    ones stay listed as 中止 so that nobody sets out for them."""
    municipality = access.public_municipality(request)
    events = Event.objects.of(municipality).public().upcoming().select_related("kind")
    feed = request.build_absolute_uri(reverse("events:public_feed"))
    return render(request, "events/public_list.html", {"events": events, "feed": feed})
