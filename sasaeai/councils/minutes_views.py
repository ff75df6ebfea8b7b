"""Minutes: write a draft (optimistic locking), approve, correct, choose the public summary,
print on A4 and download as PDF."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic, pdf

from . import lookups, services
from .document import meeting_document
from .forms import ApproveForm, CorrectForm, MinutesForm, SummaryForm
from .models import Meeting, Minutes
from .pages import form_page
from .photo_views import photo_context

VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH
PDF_CSS = Path(__file__).parent / "pdf.css"


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, EDIT)
    minutes = meeting.minutes.order_by("-revision").first()
    if minutes is not None and minutes.is_locked:
        messages.error(request, str(services.LOCKED))  # fmt: skip
        return redirect(meeting)
    agenda = list(meeting.agenda.all())
    initial = MinutesForm.initial_for(minutes) if minutes else {"version": 1}
    form = MinutesForm(request.POST or None, initial=initial, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(
                minutes or services.current_minutes(meeting),
                form.cleaned_data["version"],
                form.text(),
            )
        except services.StaleMinutes as stale:
            return _conflict(request, meeting, agenda, stale.current)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(meeting)
        messages.success(request, _("議事録（下書き）を保存しました。"))
        return redirect(meeting)
    return render(
        request,
        "councils/staff/minutes_edit.html",
        {
            "meeting": meeting,
            "form": form,
            "minutes": minutes,
            "can_edit": True,
            **photo_context(meeting),
        },
    )


def _conflict(
    request: HttpRequest, meeting: Meeting, agenda: list, current: Minutes
) -> HttpResponse:
    """Refuse the second save, keep this person's text in the form, show what is saved now."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = MinutesForm(data, agenda=agenda)
    form.is_valid()
    context = {
        "meeting": meeting,
        "form": form,
        "minutes": current,
        "conflict": current,
        "conflict_items": current.items.select_related("agenda_item"),
        "can_edit": True,
        **photo_context(meeting),
    }
    return render(request, "councils/staff/minutes_edit.html", context, status=409)


@require_GET
@access.require(VIEW)
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One revision of the minutes, readable after it was corrected."""
    minutes = lookups.minutes(request, pk)
    context = {
        "meeting": minutes.meeting,
        "minutes": minutes,
        "items": minutes.items.select_related("agenda_item"),
        "decisions": minutes.decisions.all(),
    }
    return render(request, "councils/staff/minutes.html", context)


@require_POST
@access.require(EDIT)
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = lookups.minutes(request, pk, EDIT)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("承認した人（会長またはコーディネーター）を選んでください。"))
        return redirect(minutes.meeting)
    try:
        services.approve_minutes(minutes, request.user, form.cleaned_data["approved_as"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("議事録を承認しました。これ以降は変更できません。"))
    return redirect(minutes.meeting)


@require_POST
@access.require(EDIT)
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = lookups.minutes(request, pk, EDIT)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("訂正の理由を入れてください。"))
        return redirect(minutes.meeting)
    try:
        services.correct_minutes(minutes, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(minutes.meeting)
    messages.success(request, _("訂正版（下書き）を作りました。元の版はそのまま読めます。"))
    return redirect("councils_staff:minutes_edit", minutes.meeting_id)


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk, PUBLISH)
    minutes = meeting.minutes.filter(status="approved").order_by("-revision").first()
    if minutes is None:
        messages.error(request, _("公開する概要は、議事録を承認してから選べます。"))
        return redirect(meeting)
    form = SummaryForm(request.POST or None, meeting=meeting, minutes=minutes, record=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                optimistic.claim(meeting, form.version_read)
                services.choose_public_summary(
                    meeting,
                    minutes,
                    {i.pk for i in data["topics"]},
                    {d.pk for d in data["decisions"]},
                    data["publish"],
                )
        except optimistic.Stale as stale:
            form.refuse(stale, link=meeting.get_absolute_url())
            if stale.current is not None and form.stale is not None:
                rows = form.saved_now(stale.current, minutes)  # type: ignore[arg-type]
                form.stale = optimistic.Saved(rows, form.stale.link)
        else:
            messages.success(request, _("公開する概要を保存しました。"))
            return redirect(meeting)
    return form_page(
        request, form, meeting=meeting, back=meeting.get_absolute_url(),
        title=_("公開する概要を選ぶ"), submit=_("保存する"), status=optimistic.status(form),
        lead=_("地域の公開ページに、日付と選んだ議題（取組みごと）・決定事項だけを載せます。議事録の本文は公開しません。"),
    )  # fmt: skip


@require_GET
@access.require(VIEW)
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = lookups.meeting(request, pk)
    return render(request, "councils/staff/print.html", meeting_document(meeting))


@require_GET
@access.require(VIEW)
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import CSS  # heavy: loaded only when a PDF is asked for

    meeting = lookups.meeting(request, pk)
    html = render_to_string("councils/pdf.html", meeting_document(meeting), request=request)
    sheet = CSS(filename=str(PDF_CSS), url_fetcher=pdf.fetcher())
    data = pdf.html(html, request.build_absolute_uri("/")).write_pdf(stylesheets=[sheet])
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"council-{meeting.council.area.code}-{meeting.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
