"""Staff pages of the organisers' network (つながる): each region's list of the organisers who
agreed to be in it, its printed sheet for the liaison meeting (連絡会), and the SC's messages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import links
from sasaeai.lib.paths import is_under
from sasaeai.lib.pdf import render_pdf

from . import network, network_lookups
from .models import NetworkMember, NetworkMessage
from .network_forms import JoinForm, MessageForm

VIEW, EDIT = Capability.VIEW, Capability.EDIT
STYLESHEET = Path(__file__).parent / "network-print.css"


@require_GET
@access.require(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    regions = list(access.areas(request.user, VIEW).filter(kind=AreaKind.REGION).order_by("path"))
    paths = NetworkMember.objects.active().values_list("activity__area__path", flat=True)
    found = list(paths.filter(access.under([r.path for r in regions], "activity__area__path")))
    counts = Counter(r.pk for r in regions for path in found if is_under(path, r.path))
    rows = [(region, counts[region.pk]) for region in regions]
    return render(request, "directory/network/index.html", {"rows": rows})


def _region_page(request: HttpRequest, region: Area, form: JoinForm | None = None) -> HttpResponse:
    can_edit = access.can(request.user, EDIT, region)
    if can_edit and form is None:
        form = JoinForm(activities=network.candidates(region))
    sent = (
        NetworkMessage.objects.filter(area=region)
        .annotate(
            total=Count("recipients"),
            opened=Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
        )
        .select_related("sent_by")[:20]
    )
    members = list(network.members(region).select_related("recorded_by"))
    context = {
        "region": region,
        "members": members,
        "changed": {m.pk for m in network.changed(members)},
        "can_edit": can_edit,
        "form": form if can_edit else None,
        "sent": sent,
    }
    return render(request, "directory/network/region.html", context)


@require_GET
@access.require(VIEW)
def region(request: HttpRequest, code: str) -> HttpResponse:
    return _region_page(request, network_lookups.region(request, code))


@require_POST
@access.require(EDIT)
def join(request: HttpRequest, code: str) -> HttpResponse:
    area = network_lookups.region(request, code, EDIT)
    form = JoinForm(request.POST, activities=network.candidates(area))
    if not form.is_valid():
        return _region_page(request, area, form)
    activity = form.cleaned_data["activity"]
    network.join(activity, form.cleaned_data["checked_on"], request.user)
    messages.success(
        request, _("「%(name)s」の連絡先をネットワークに加えました。") % {"name": activity.name}
    )
    return redirect("network_staff:region", area.code)


@require_POST
@access.require(EDIT)
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = network_lookups.member(request, pk)
    area = network.region_for(member.activity)
    network.leave(member, by=request.user)
    messages.success(
        request,
        _("「%(name)s」の連絡先をネットワークから外しました。") % {"name": member.activity.name},
    )
    if area is None:
        return redirect("network_staff:index")
    return redirect("network_staff:region", area.code)


def _pdf(request: HttpRequest, region: Area, message: NetworkMessage | None) -> HttpResponse:
    context: dict[str, Any] = {
        "region": region,
        "members": network.members(region),
        "message": message,
        "today": timezone.localdate(),
    }
    base_url = links.absolute("/", region.municipality or region)
    pdf = render_pdf(
        "directory/network/pdf.html", context, base_url=base_url, stylesheets=[STYLESHEET]
    )
    what = f"network list {region.code}" + (f" with message {message.pk}" if message else "")
    log.record(Action.READ, area=region, detail=f"{what} (pdf)")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"network-{region.code}" + (f"-message-{message.pk}" if message else "")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
@access.require(VIEW)
def region_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(request, network_lookups.region(request, code), None)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def compose(request: HttpRequest, code: str) -> HttpResponse:
    area = network_lookups.region(request, code, EDIT)
    members = network.members(area)
    form = MessageForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        sent = network.send(area, form.cleaned_data["body"], form.chosen(), request.user)
        messages.success(
            request,
            _(
                "メッセージを送りました（メールで%(mail)d件、電話・印刷でお知らせする方%(hand)d件）。"
            )
            % {"mail": sent.by_mail, "hand": sent.by_hand},
        )
        return redirect("network_staff:message", sent.message.pk)
    context = {"region": area, "form": form, "has_members": members.exists()}
    return render(request, "directory/network/compose.html", context)


@require_GET
@access.require(VIEW)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    found = network_lookups.message(request, pk)
    recipients = found.recipients.select_related("member__activity")
    context = {
        "message": found,
        "region": found.area,
        "recipients": recipients,
        "by_hand": [r for r in recipients if not r.member.activity.contact_email],
    }
    return render(request, "directory/network/message.html", context)


@require_GET
@access.require(VIEW)
def message_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = network_lookups.message(request, pk)
    return _pdf(request, found.area, found)
