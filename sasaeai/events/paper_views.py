"""A local event's sign-up sheet on paper, both ways: print blank sheets for the event,
attach a returned sheet by its reference, and type its rows beside the image into the
event's sign-ups (the same seats and waiting list as the public page's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import paper_forms, paper_views

from . import local_services, lookups
from .paper_models import EventSheet
from .paper_print import PrintForm, RowFormSet, filled_rows, sheets_pdf

EDIT = lookups.EDIT


@require_POST
@access.require(EDIT)
def paper_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Blank sign-up sheets for the event, as one PDF."""
    event = lookups.local_event(request, pk)
    form = PrintForm(request.POST)
    if event.is_cancelled or not form.is_valid():
        problem = _("中止した催しの用紙は印刷できません。") if event.is_cancelled else None
        messages.error(request, problem or str(next(iter(form.errors.values()))[0]))
        return redirect(event)
    with transaction.atomic():
        sheets = paper_forms.issue(EventSheet, form.cleaned_data["count"], by=request.user,
                                   event=event, area=event.area)  # fmt: skip
    pdf = sheets_pdf(sheets, request.build_absolute_uri("/"))
    return paper_forms.pdf_response(pdf, f"signup-sheets-{event.pk}.pdf")


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def paper_attach(request: HttpRequest) -> HttpResponse:
    """A sheet that came back, found by its reference among the sheets of the events this
    person may edit; an unknown or used reference is told and nothing is kept."""
    return paper_views.attach_page(
        request, lookups.event_sheets(request), "events/paper/attach.html"
    )


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def paper_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The returned sheet's image beside one line per written row: saving signs them up, in
    the order of the sheet, all or none."""
    sheet = lookups.event_sheet(request, pk)
    event = sheet.event
    formset = RowFormSet(request.POST or None, prefix="row")
    if request.method == "POST" and sheet.has_image and formset.is_valid():
        rows = filled_rows(formset)
        if not rows:
            messages.error(request, _("お名前が書かれた行がありません。"))
        else:
            try:
                with transaction.atomic():
                    made = [local_services.sign_up(event, **row) for row in rows]
                    sheet.signups.add(*made)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                waiting = sum(1 for s in made if s.status == "waiting")
                text = _("%(n)s件の申込みを受け付けました。") % {"n": len(made)}
                if waiting:
                    text += _("うち%(w)s件はキャンセル待ちです。") % {"w": waiting}
                messages.success(request, text)
                return redirect(sheet)
    context = {
        "sheet": sheet, "event": event, "formset": formset,
        "made": sheet.signups.order_by("number"), "open": event.is_open(),
    }  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(request, "events/paper/sheet.html", context, status=status)


@require_GET
@access.require(EDIT)
def paper_scan(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The image of a returned sheet, to whoever may edit the event; never cached."""
    return paper_forms.scan_response(lookups.event_sheet(request, pk), name)
