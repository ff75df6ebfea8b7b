"""An organiser's own page behind the secret link of the SC's mail: the message, and the list
of the organisers in their region's network (that is how they see each other, without an
account); and 「ネットワークから外れる」.

Only the link opens it: no search engine, proxy or browser keeps it (noindex, never cached),
and it answers on the organiser's own municipality's site only. Unknown secrets count against
the address (HourlyLimit), against guessing; the organiser's own visits count nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import AreaContact
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib.ratelimit import HourlyLimit

from . import network, network_lookups
from .models import NetworkRecipient

MISSES = HourlyLimit("network-link", per_hour=20)


def _found(request: HttpRequest, token: str) -> NetworkRecipient | HttpResponse:
    """The recipient of this secret, or the page that says why not (too many tries, expired);
    404 for a secret that is not one."""
    if MISSES.reached(request):
        return render(request, "directory/network/public_limited.html", status=429)
    recipient = network_lookups.recipient(request, token)
    if recipient is None:
        MISSES.take(request)
        raise Http404
    if recipient.expired:
        context = _context(recipient)
        return render(request, "directory/network/public_expired.html", context, status=410)
    return recipient


def _context(recipient: NetworkRecipient) -> dict[str, object]:
    region = recipient.message.area
    desk = AreaContact.objects.nearest(region)
    return {"recipient": recipient, "region": region, "desk": desk, "footer_desk": desk}


@access.public
@never_cache
@require_GET
def message(request: HttpRequest, token: str) -> HttpResponse:
    found = _found(request, token)
    if isinstance(found, HttpResponse):
        return found
    if found.opened_at is None:
        NetworkRecipient.objects.filter(pk=found.pk).update(opened_at=timezone.now())
        log.record(Action.READ, obj=found.message, detail=f"opened by recipient {found.pk}")
    context = _context(found)
    member = found.member
    context["message"] = found.message
    context["in_network"] = member.is_active
    context["members"] = network.members(found.message.area) if member.is_active else []
    return render(request, "directory/network/public_message.html", context)


@access.public
@never_cache
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, token: str) -> HttpResponse:
    found = _found(request, token)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        network.leave(found.member)
        messages.success(request, _("ネットワークから外れました。一覧にはもう載りません。"))
        return redirect("network:message", token)
    context = _context(found)
    context["in_network"] = found.member.is_active
    return render(request, "directory/network/public_leave.html", context)
