"""Staff pages of requests for help: the list (oldest open first), asking, the request with
its steps and conversation. Who may do what is decided in lookups.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.councils.models import Meeting
from sasaeai.lib.indicators import Scope
from sasaeai.lib.paths import under
from sasaeai.needs.models import Need

from . import lookups, services
from .figures import IN_YEAR
from .forms import FilterForm, MessageForm, RequestForm, StepForm
from .lookups import COUNCIL, EDIT, VIEW, WARD
from .models import RequestNotice, Side, Status, SupportRequest
from .services import STEPS

# How far back a meeting may be to be named as where the request was discussed.
MEETINGS_SINCE = dt.timedelta(days=730)
STEP_BUTTONS: dict[str, Any] = {
    Status.ACCEPTED: gettext_lazy("引き受ける"),
    Status.DONE: gettext_lazy("完了にする"),
    Status.DECLINED: gettext_lazy("お断りする"),
}


@require_GET
@access.require(VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, areas=access.areas(request.user, VIEW))
    found = lookups.requests(request)
    data: dict[str, Any] = {"status": "open", "kind": "", "age": None, "area": None, "year": None}
    if form.is_valid():
        data = form.cleaned_data
    if data["status"]:
        found = found.open() if data["status"] == "open" else found.filter(status=data["status"])
    if data["kind"]:
        found = found.filter(kind=data["kind"])
    today = timezone.localdate()
    if data["age"]:
        found = found.opened_before(today - dt.timedelta(days=data["age"]))
    if data["area"]:
        found = found.filter(under(data["area"].path, "area__path"))
    if data["year"] is not None:
        reading = IN_YEAR[data["in_year"] or "asked"]
        found = found.filter(reading(Scope((), (data["year"],), today), data["year"]))
    user: Any = request.user  # access.require: signed in
    unread = set(
        RequestNotice.objects.filter(user=user, read_at__isnull=True).values_list(
            "request_id", flat=True
        )
    )
    page = Paginator(found.oldest_open_first(), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": today,
        "unread": unread,
        "may_ask": lookups.requesting_councils(request.user).exists(),
        "may_manage": lookups.may_manage_some(request.user),
    }
    return render(request, "support/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def request_new(request: HttpRequest) -> HttpResponse:
    councils = lookups.require_council_side(request)
    areas = [c.area for c in councils]
    since = timezone.localdate() - MEETINGS_SINCE
    meetings = (
        Meeting.objects.filter(council__in=councils, date__gte=since)
        .select_related("council")
        .order_by("-date", "-number")
    )
    under = access.under([a.path for a in areas], "area__path")
    needs = access.scope(request.user, Need.objects.filter(under).open().order_by("-reported_on"))
    initial = {k: request.GET[k] for k in ("meeting", "need") if request.GET.get(k, "").isdigit()}
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        initial=initial, councils=councils, meetings=meetings, needs=needs,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        req = services.open_request(form.save(commit=False), by=request.user)
        messages.success(
            request, _("依頼 %(n)s を送りました。区・社協・包括の担当から返事があります。")
            % {"n": req.number},
        )  # fmt: skip
        return redirect(req)
    return render(request, "support/staff/new.html", {"form": form})


def _detail(
    request: HttpRequest, req: SupportRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    mine = lookups.sides(request.user, req.area)
    if mine and "message_form" not in forms:
        forms["message_form"] = MessageForm()
    steps = []
    if WARD in mine:
        for to, sources in STEPS.items():
            if req.status in sources:
                form = forms.get("step_form")
                if form is None or form.to != to:
                    form = StepForm(to=to)
                steps.append({"to": to, "form": form, "button": STEP_BUTTONS[to]})
    context = {
        "req": req,
        "today": timezone.localdate(),
        "events": req.events.all(),
        "thread": req.messages.all(),
        "bookings": req.bookings.select_related("venue"),
        "is_council": COUNCIL in mine,
        "is_ward": WARD in mine,
        "steps": steps,
        "message_form": forms.get("message_form"),
    }
    services.mark_read(req, request.user)
    return render(request, "support/staff/detail.html", context, status=status)


@require_GET
@access.require(VIEW)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, lookups.support_request(request, pk))


@require_POST
@access.require(VIEW)
def request_message(request: HttpRequest, pk: int) -> HttpResponse:
    req = lookups.support_request(request, pk, "either")
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, req, status=400, message_form=form)
    side = Side.COUNCIL if lookups.is_council_side(request.user, req.area) else Side.WARD
    services.post_message(req, form.cleaned_data["body"], by=request.user, side=side)
    messages.success(request, _("メッセージを送りました。"))
    return redirect(req.get_absolute_url() + "#thread")


@require_POST
@access.require(EDIT)
def request_step(request: HttpRequest, pk: int) -> HttpResponse:
    req = lookups.support_request(request, pk, WARD)
    to = request.POST.get("to", "")
    if to not in STEPS:
        messages.error(request, _("今の状態からは、その操作はできません。"))
        return redirect(req)
    form = StepForm(request.POST, to=to)
    if not form.is_valid():
        return _detail(request, req, status=400, step_form=form)
    try:
        services.step(req, to, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("「%(s)s」にしました。") % {"s": Status(to).label})
    return redirect(req)
