"""Whom a resident calls: each area's desk (AreaContact), kept by the municipality's staff,
shown on its public pages, in their footer, and on one page of every desk of the ward."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaContact, AreaKind
from sasaeai.lib import optimistic
from sasaeai.lib.public_cache import public_page

from .contact_forms import ContactForm

EDIT = Capability.EDIT


def contact_rows(municipality: Area) -> list[tuple[Area, AreaContact | None]]:
    """The municipality, its blocks and regions in the area file's order, each with its own
    desk (or None): two queries."""
    areas = list(
        Area.objects.of(municipality).exclude(kind__in=[AreaKind.UNIT, AreaKind.MUNICIPALITY])
    )
    areas = [municipality, *areas]
    own = {c.area_id: c for c in AreaContact.objects.filter(area__in=areas)}
    return [(area, own.get(area.pk)) for area in areas]


@access.public
@public_page
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Every desk of the municipality: a resident who does not know their region finds it."""
    municipality = access.public_municipality(request)
    rows = [(area, c) for area, c in contact_rows(municipality) if c is not None]
    return render(request, "core/contacts.html", {"rows": rows})


def _ward_area(request: HttpRequest) -> Area:
    """The municipality the person keeps the desks of: EDIT on it (the ward's staff)."""
    municipality = getattr(request.user, "municipality", None)
    if municipality is None or not access.can(request.user, EDIT, municipality):
        access.refuse(request, "lacks edit on the municipality (contacts)", area=municipality)
    return municipality


@require_GET
@access.require(EDIT)
def staff_list(request: HttpRequest) -> HttpResponse:
    municipality = _ward_area(request)
    return render(request, "core/staff/contacts.html", {"rows": contact_rows(municipality)})


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def edit(request: HttpRequest, code: str) -> HttpResponse:
    # Among the areas the person may see, whichever municipality's address they came by.
    area = access.get_object(request, Area.objects.all(), EDIT, area_field="", code=code)
    if not access.can(request.user, EDIT, area.municipality):  # a root points at itself
        access.refuse(request, "lacks edit on the municipality (contacts)", area=area)
    contact = AreaContact.objects.filter(area=area).first() or AreaContact(area=area)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid() and _saved(form, area):
        messages.success(request, _("%(name)sの相談窓口を保存しました。") % {"name": area.name})
        return redirect("contacts_staff:list")
    inherited = None if contact.pk else AreaContact.objects.nearest(area)
    context = {"area": area, "form": form, "inherited": inherited}
    status = optimistic.status(form)  # 409 when someone saved first
    if status == 200 and form.errors:
        status = 400
    return render(request, "core/staff/contact_form.html", context, status=status)


@transaction.atomic
def _saved(form: ContactForm, area: Area) -> bool:
    """Save the area's contact unless someone saved it (or, for an area that had none, made
    it) since the page was read; else the form says so (lib/optimistic.py)."""
    try:
        optimistic.unclaimed_new(AreaContact, form.version_read, area=area)
        optimistic.save_form(form)
    except optimistic.Stale as stale:
        form.refuse(stale, link=reverse("contacts_staff:list"))
        return False
    return True
