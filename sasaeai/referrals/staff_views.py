"""Staff pages of referrals. Every page is behind lookups.handlers_only and every referral
comes through lookups.referral (404 + audit for anyone outside the rule); every page that
shows personal data records a read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.areas.models import Area
from sasaeai.audit import log
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.lib import optimistic
from sasaeai.lib.indicators import Scope
from sasaeai.lib.paths import under
from sasaeai.needs import lookups as need_lookups

from . import lookups, services
from .figures import IN_YEAR
from .forms import AnswerForm, EraseForm, FilterForm, ReferralForm, ResendForm, SendForm
from .lookups import INSTITUTION, SENDER
from .models import Institution, Notice, Referral, Status


def _read(referral: Referral, what: str) -> None:
    log.record(Action.READ, obj=referral, detail=what)


@require_GET
@lookups.handlers_only
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals this person may see, narrowed to a status, an area and a 年度 (read as the
    figures read it, figures.IN_YEAR); input it cannot use is named next to its field and
    narrows nothing."""
    form = FilterForm(request.GET or None, areas=lookups.list_areas(request.user))
    referrals = lookups.referrals(request)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if chosen := data.get("status"):
        referrals = referrals.open() if chosen == "open" else referrals.filter(status=chosen)
    if data.get("area"):
        referrals = referrals.filter(under(data["area"].path, "area__path"))
    if (year := data.get("year")) is not None:
        reading = IN_YEAR[data.get("in_year") or "sent"]
        scope = Scope((), (year,), timezone.localdate())
        referrals = referrals.exclude(status=Status.DRAFT).filter(reading(scope, year))
    user: Any = request.user  # handlers_only: signed in
    unread = set(
        Notice.objects.filter(user=user, read_at__isnull=True).values_list("referral_id", flat=True)
    )
    page = Paginator(referrals.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "unread": unread,
        "may_send": lookups.may_send(request.user),
        "institutions": lookups.my_institutions(request.user),
    }
    return render(request, "referrals/staff/list.html", context)


def _institutions(request: HttpRequest, areas: Any) -> Any:
    first = areas.first()
    if first is None:
        return Institution.objects.none()
    municipality = first.municipality or first
    regions = list(areas)
    return Institution.objects.of(municipality).select_related("kind").mine_first(regions)


@require_http_methods(["GET", "POST"])
@lookups.handlers_only
def referral_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        lookups.require_sender(request)
        referral = Referral()
        need_pk = request.GET.get("need") or request.POST.get("need")
        if need_pk and need_pk.isdigit():
            referral.need = need_lookups.need(request, int(need_pk))
    else:
        referral = lookups.referral(request, pk, SENDER)
        if not referral.is_draft:
            messages.error(request, _("送ったつなぎは編集できません。"))
            return redirect(referral)
    areas = lookups.sending_areas(request.user)
    if referral.need is not None and pk is None:
        referral.area = referral.need.area
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        instance=referral,
        areas=areas,
        institutions=_institutions(request, areas),
    )
    if request.method == "POST" and form.is_valid():
        if pk is None:
            services.open_referral(form.save(commit=False), by=request.user)
        if pk is None or optimistic.saved(form, link=referral.get_absolute_url()):
            messages.success(
                request, _("つなぎ %(n)s を下書きとして保存しました。") % {"n": referral.number}
            )
            return redirect(referral)
    if pk is not None:
        _read(referral, "edit form")
    context = {"form": form, "referral": referral}
    return render(request, "referrals/staff/edit.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@lookups.handlers_only
def referral_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a returned referral and send it again, perhaps to another institution."""
    referral = lookups.referral(request, pk, SENDER)
    if referral.status != Status.RETURNED or referral.is_anonymised:
        messages.error(request, _("差し戻されたつなぎだけを送り直せます。"))
        return redirect(referral)
    previous = referral.institution
    # The sender may have left the region since: the referral's own area stays a choice.
    areas = lookups.sending_areas(request.user) | Area.objects.filter(pk=referral.area_id)
    form = ResendForm(
        request.POST if request.method == "POST" else None,
        instance=referral,
        areas=areas.distinct(),
        institutions=_institutions(request, areas.distinct()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resend(referral, by=request.user, previous_institution=previous,
                            note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request, _("%(i)s へ送り直しました。") % {"i": referral.institution.name}
            )
            return redirect(referral)
    _read(referral, "resend form")
    context = {"form": form, "referral": referral, "reason": _return_reason(referral)}
    return render(request, "referrals/staff/resend.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


def _return_reason(referral: Referral) -> str:
    returned = referral.events.filter(status=Status.RETURNED).order_by("-at", "-id").first()
    return returned.note if returned else ""


def _detail(
    request: HttpRequest, referral: Referral, status: int = 200, **forms: Any
) -> HttpResponse:
    sides = lookups.sides(request.user, referral)
    if INSTITUTION in sides and referral.allowed_answers() and "answer_form" not in forms:
        forms["answer_form"] = AnswerForm(referral=referral)
    if SENDER in sides and referral.is_draft and "send_form" not in forms:
        forms["send_form"] = SendForm()
    if SENDER in sides and not referral.is_anonymised and "erase_form" not in forms:
        forms["erase_form"] = EraseForm()
    context = {
        "referral": referral,
        "events": referral.events.all(),
        "is_sender": SENDER in sides,
        "is_institution": INSTITUTION in sides,
        "consent_missing": referral.consent_missing() if referral.is_draft else [],
        "may_resend": SENDER in sides
        and referral.status == Status.RETURNED
        and not referral.is_anonymised,
        **forms,
    }
    _read(referral, "detail")
    services.mark_read(referral, request.user)
    return render(request, "referrals/staff/detail.html", context, status=status)


@require_GET
@lookups.handlers_only
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, lookups.referral(request, pk))


@require_GET
@lookups.handlers_only
def referral_print(request: HttpRequest, pk: int) -> HttpResponse:
    referral = lookups.referral(request, pk)
    _read(referral, "print")
    context = {"referral": referral, "events": referral.events.all()}
    return render(request, "referrals/staff/print.html", context)


@require_POST
@lookups.handlers_only
def referral_send(request: HttpRequest, pk: int) -> HttpResponse:
    referral = lookups.referral(request, pk, SENDER)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, status=400, send_form=form)
    try:
        services.send(referral, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(i)s へ送りました。") % {"i": referral.institution.name})
    return redirect(referral)


@require_POST
@lookups.handlers_only
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = lookups.referral(request, pk, INSTITUTION)
    form = AnswerForm(request.POST, referral=referral)
    if not form.is_valid():
        return _detail(request, referral, status=400, answer_form=form)
    data = form.cleaned_data
    try:
        services.answer(referral, data["to"], by=request.user, note=data["note"],
                        outcome=data["outcome"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("「%(s)s」を記録しました。") % {"s": referral.get_status_display()}
        )
    return redirect(referral)


@require_POST
@lookups.handlers_only
def referral_erase(request: HttpRequest, pk: int) -> HttpResponse:
    referral = lookups.referral(request, pk, SENDER)
    form = EraseForm(request.POST)
    if referral.is_anonymised or not form.is_valid():
        if referral.is_anonymised:
            return redirect(referral)
        return _detail(request, referral, status=400, erase_form=form)
    services.erase_now(referral, by=request.user)
    messages.success(request, _("個人情報を削除しました。統計に必要な匿名の記録だけが残ります。"))
    return redirect(referral)


@require_GET
@lookups.handlers_only
def referral_disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    """Who read or changed this referral, from the audit log: for a disclosure request
    (開示請求) under APPI by the person concerned."""
    referral = lookups.referral(request, pk, SENDER)
    entries = AuditEntry.objects.filter(
        model=Referral._meta.label, object_id=str(referral.pk)
    ).order_by("at", "id")
    _read(referral, "disclosure record")
    return render(
        request, "referrals/staff/disclosure.html", {"referral": referral, "entries": entries}
    )


@require_GET
@lookups.handlers_only
def institution_list(request: HttpRequest) -> HttpResponse:
    """Institutions of the municipality, those covering the person's own regions first."""
    areas = lookups.sending_areas(request.user)
    institutions = _institutions(request, areas) if areas.exists() else Institution.objects.none()
    if not areas.exists():
        institutions = Institution.objects.filter(
            pk__in=[i.pk for i in lookups.my_institutions(request.user)]
        ).select_related("kind")
    return render(
        request,
        "referrals/staff/institutions.html",
        {"institutions": institutions.prefetch_related("areas")},
    )
