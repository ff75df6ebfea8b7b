"""Staff pages of the organisers' confirmation (issue 30), under /staff/confirm/: the seasons
(the ward opens one), a season's progress per region, and a region's batch: its sheets made
in the background, the answers, reminders and reissued codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import jobs

from . import confirm, confirm_lookups, confirm_sheets
from .confirm_forms import BatchForm, SeasonForm
from .models import ConfirmationSeason, SentHow

VIEW, EDIT = confirm_lookups.VIEW, confirm_lookups.EDIT


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The seasons of this person's municipalities; the ward opens a new one here."""
    may_open = confirm_lookups.municipalities_to_open(request.user)
    form = SeasonForm(request.POST or None)
    if request.method == "POST":
        if not may_open:
            access.refuse(request, f"lacks {EDIT} on a municipality")
        if form.is_valid():
            data = form.cleaned_data
            season = confirm.open_season(
                may_open[0], data["name"], data["starts_on"], data["ends_on"], request.user
            )
            messages.success(request, _("「%(name)s」を始めました。") % {"name": season.name})
            return redirect("confirm_staff:season", season.pk)
    seasons = ConfirmationSeason.objects.filter(
        municipality_id__in=access.municipality_ids(request.user, VIEW)
    )
    context = {"seasons": seasons, "form": form if may_open else None}
    return render(request, "directory/confirm/index.html", context)


@require_GET
@access.require(VIEW)
def season(request: HttpRequest, pk: int) -> HttpResponse:
    found = confirm_lookups.season(request, pk)
    batches = access.scope(request.user, found.batches.all(), VIEW)
    rows = confirm.progress(batches)
    totals = {
        "sent": sum(r.sent for r in rows),
        "confirmed": sum(r.confirmed for r in rows),
        "corrected": sum(r.corrected for r in rows),
        "waiting": sum(r.waiting for r in rows),
    }
    context = {"season": found, "rows": rows, "totals": totals}
    return render(request, "directory/confirm/season.html", context)


@require_GET
@access.require(VIEW)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's batch: the making's progress (its own fragment for htmx), the answers."""
    found = confirm_lookups.batch(request, pk)
    may_edit = access.can(request.user, EDIT, found.area)
    context = {
        "batch": found,
        "season": found.season,
        "job": found,
        "download": reverse("confirm_staff:sheets", args=[pk]) if found.pdf else "",
        "download_label": _("はがき・手紙のPDFをダウンロード"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/job_progress.html", context)
    requests = found.requests.select_related("activity", "proposal")
    counts = confirm.progress(type(found).objects.filter(pk=pk))[0]
    context.update(
        requests=requests,
        counts=counts,
        may_edit=may_edit and not found.season.is_over,
        form=BatchForm(instance=found) if may_edit else None,
        candidates=confirm.candidates(found.area).count(),
    )
    return render(request, "directory/confirm/batch.html", context)


@require_POST
@access.require(EDIT)
def make(request: HttpRequest, pk: int) -> HttpResponse:
    found = confirm_lookups.batch(request, pk, EDIT)
    if found.season.is_over:
        raise PermissionDenied
    if found.requests.exists():
        messages.error(
            request,
            _(
                "この地域はもう送りました。届いていない方には、一覧から「コードを発行し直す」で送り直してください。"
            ),
        )
        return redirect("confirm_staff:batch", pk)
    form = BatchForm(request.POST, instance=found)
    if form.is_valid() and jobs.claim(found):
        form.save()
        from .confirm_tasks import make_batch  # the tasks module imports confirm_sheets

        site = confirm.site(found.season.municipality, request.build_absolute_uri("/"))
        transaction.on_commit(lambda: make_batch.enqueue(found.pk, site), robust=True)
        messages.info(
            request, _("はがき・手紙を作りはじめました。このページで進み具合が見られます。")
        )
    else:
        messages.info(request, _("いま作っているところです。できあがるまでお待ちください。"))
    return redirect("confirm_staff:batch", pk)


@require_GET
@access.signed_in  # the batch decides: confirm_lookups.batch answers 404 to whoever may not see it
def sheets(request: HttpRequest, pk: int) -> FileResponse:
    found = confirm_lookups.batch(request, pk)
    if not found.pdf:
        raise Http404
    try:
        handle = found.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log.record(Action.READ, obj=found, detail="confirmation sheets (pdf)")
    name = f"confirm-{found.area.code}-{found.season_id}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@access.require(EDIT)
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """New sheets (with new codes) for the post without an answer; the mails again."""
    found = confirm_lookups.batch(request, pk, EDIT)
    if found.season.is_over:
        raise PermissionDenied
    mailed = list(
        found.requests.unanswered().filter(sent_how=SentHow.MAIL).values_list("pk", flat=True)
    )
    if mailed:
        from .confirm_tasks import send_confirmation_mail

        site = confirm.site(found.season.municipality, request.build_absolute_uri("/"))
        transaction.on_commit(lambda: send_confirmation_mail.enqueue(mailed, site), robust=True)
    site = confirm.site(found.season.municipality, request.build_absolute_uri("/"))
    pdf, count = confirm_sheets.reminders(found, site)
    if not count:
        messages.info(
            request,
            _("郵送した方は、みな回答済みです。")
            + (_("メールの方には、もう一度メールを送ります。") if mailed else ""),
        )
        return redirect("confirm_staff:batch", pk)
    return _pdf(pdf, f"confirm-reminders-{found.area.code}.pdf")


@require_POST
@access.require(EDIT)
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """A new code for one activity (a lost or misdelivered sheet): the old code stops. By
    post: its new sheet; by mail: a new mail."""
    found = confirm_lookups.confirmation(request, pk)
    batch_ = found.batch
    if batch_.season.is_over:
        raise PermissionDenied
    site = confirm.site(batch_.season.municipality, request.build_absolute_uri("/"))
    if found.sent_how == SentHow.MAIL:
        from .confirm_tasks import send_confirmation_mail

        confirm.reissue(found)  # the old code stops now, not when the worker gets to it
        transaction.on_commit(lambda: send_confirmation_mail.enqueue([found.pk], site), robust=True)
        messages.success(
            request,
            _("「%(name)s」に新しいコードをメールで送ります。前のコードは使えなくなりました。")
            % {"name": found.activity.name},
        )
        return redirect("confirm_staff:batch", batch_.pk)
    code = confirm.reissue(found)
    pdf = confirm_sheets.render(batch_, [confirm_sheets.sheet(found, code, site)], site)
    return _pdf(pdf, f"confirm-{found.activity.pk}.pdf")
