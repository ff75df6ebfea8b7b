"""The public pages of events: no sign-in, for residents on phones. The list shows the
region's local events for residents first, and apart from them the municipality's public
trainings; a local event's page takes sign-ups without an account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import AreaContact, AreaKind
from sasaeai.lib.public_cache import public_page
from sasaeai.lib.ratelimit import HourlyLimit

from . import local_services, lookups
from .local_forms import RegionForm, SignupForm
from .local_models import LocalEvent
from .models import Event, RegistrationStatus

SIGNUPS = HourlyLimit("local_signups", per_hour=5)
LOCAL_SHOWN = 12  # local events listed before an area is chosen
RECEIPT_KEY = "events:receipt"


@access.public
@public_page
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Upcoming local events (of one region and the regions under an area when `?area=` names
    one) and upcoming public trainings; called-off ones stay listed as 中止 so that nobody
    sets out for them."""
    municipality = access.public_municipality(request)
    places = access.public_areas(request).filter(kind__in=[AreaKind.BLOCK, AreaKind.REGION])
    chooser = RegionForm(request.GET or None, areas=places.order_by("path"))
    area = chooser.cleaned_data["area"] if chooser.is_valid() else None
    local = LocalEvent.objects.of(municipality).published().upcoming().select_related("area")
    local = local.within(area) if area is not None else local
    total = local.count()
    shown = list(local if area is not None else local[:LOCAL_SHOWN])
    events = Event.objects.of(municipality).public().upcoming().select_related("kind")
    feed = request.build_absolute_uri(reverse("events:public_feed"))
    context = {"events": events, "local_events": shown, "more": total - len(shown),
               "area": area, "chooser": chooser, "feed": feed}  # fmt: skip
    return render(request, "events/public_list.html", context)


def _seats(event: LocalEvent) -> dict[str, object]:
    """Seats left; full also when people wait (nobody passes them, local_services.sign_up)."""
    taken = event.signups.registered().people()
    left = None if event.capacity is None else max(0, event.capacity - taken)
    return {"left": left, "full": left == 0 or event.signups.waiting().exists()}


@access.public
@require_http_methods(["GET", "POST"])
def local_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A local event's page with its sign-up form (name, phone or mail, how many)."""
    event = lookups.public_local(request, pk)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = SignupForm(data)
    desk = AreaContact.objects.nearest(event.area)
    # The page shows its desk itself, beside the form.
    context = {"event": event, "form": form, "desk": desk, "footer_desk": None,
               "is_open": event.is_open(), **_seats(event)}  # fmt: skip
    if request.method == "POST" and event.is_open():
        if SIGNUPS.reached(request) or (form.is_valid() and not SIGNUPS.take(request)):
            return render(request, "events/local_public.html", {**context, "limited": True},
                          status=429)  # fmt: skip
        if form.is_valid():
            try:
                signup = local_services.sign_up(
                    event, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"], people=form.cleaned_data["people"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The receipt travels in the session, never in the URL.
                request.session[RECEIPT_KEY] = {
                    "receipt": signup.receipt, "event": event.pk, "people": signup.people,
                    "waiting": signup.status == RegistrationStatus.WAITING,
                    "position": local_services.waiting_position(signup),
                }  # fmt: skip
                return redirect("events:local_thanks")
    return render(request, "events/local_public.html", context)


@access.public
@require_GET
def local_thanks(request: HttpRequest) -> HttpResponse:
    """The receipt of the sign-up just sent (from the session), else the list of events."""
    municipality = access.public_municipality(request)
    sent = request.session.get(RECEIPT_KEY) or {}
    event = LocalEvent.objects.of(municipality).filter(pk=int(sent.get("event") or 0)).first()
    if event is None:
        return redirect("events:public_list")
    desk = AreaContact.objects.nearest(event.area)
    context = {**sent, "event": event, "desk": desk, "footer_desk": None}
    return render(request, "events/local_thanks.html", context)
