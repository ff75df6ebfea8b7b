"""The organiser's page behind the code of a confirmation sheet or mail (issue 30), under
/confirm/: their one activity as the public sees it, 「変わりありません」 in one tap, or a form
to correct it.

Only the code opens it: no account, no search engine, nothing cached, and only on the
organiser's own municipality's site. Codes that are not one count against the address
(MISSES, against guessing); answers count too (ANSWERS, against floods). After the season's
last day the page says so and names whom to call.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import AreaContact
from sasaeai.lib.ratelimit import HourlyLimit

from . import confirm, confirm_lookups
from .confirm_forms import CodeForm, CorrectionForm
from .models import ConfirmationRequest

MISSES = HourlyLimit("confirm-code", per_hour=20)
ANSWERS = HourlyLimit("confirm-answer", per_hour=30)
LIMITED = "directory/confirm/public_limited.html"


def _context(found: ConfirmationRequest) -> dict[str, object]:
    desk = AreaContact.objects.nearest(found.batch.area)
    return {
        "found": found,
        "activity": found.activity,
        "season": found.batch.season,
        "region": found.batch.area,
        "desk": desk,
        "footer_desk": None,  # the page shows the region's desk itself
    }


def _found(request: HttpRequest, code: str) -> ConfirmationRequest | HttpResponse:
    """The request of this code, or the page that says why not (too many tries, over);
    404 for a code that is not one (or no longer: reissued)."""
    if MISSES.reached(request):
        return render(request, LIMITED, status=429)
    found = confirm_lookups.by_code(request, code)
    if found is None:
        MISSES.take(request)
        raise Http404
    if found.batch.season.is_over:
        return render(request, "directory/confirm/public_expired.html", _context(found), status=410)
    if request.method == "POST" and not ANSWERS.take(request):
        return render(request, LIMITED, status=429)
    return found


@access.public
@never_cache
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """The code typed by hand (from a computer, or a QR code that would not read)."""
    access.public_municipality(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if MISSES.reached(request):
            return render(request, LIMITED, status=429)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if confirm_lookups.by_code(request, code) is not None:
                return redirect("confirm:answer", code)
            MISSES.take(request)
            form.add_error(
                "code",
                _(
                    "このコードは見つかりません。はがきのコードをもう一度たしかめてください。"
                    "新しいはがきが届いているときは、新しいほうのコードを入れてください。"
                ),
            )
    return render(request, "directory/confirm/public_enter.html", {"form": form})


@access.public
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    found = _found(request, code)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        if request.POST.get("answer") != "same":
            messages.error(request, _("もう一度「変わりありません」を押してください。"))
            return redirect("confirm:answer", code)
        confirm.confirm_unchanged(found)  # the page then says so, with the day
        return redirect("confirm:answer", code)
    context = _context(found)
    context["code"] = code
    return render(request, "directory/confirm/public_answer.html", context)


@access.public
@never_cache
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, code: str) -> HttpResponse:
    found = _found(request, code)
    if isinstance(found, HttpResponse):
        return found
    form = CorrectionForm(request.POST or None, activity=found.activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        confirm.correct(found, form.changes(), data["note"], data["reply_to"])
        # The page then says it reached the SC, with the day.
        return redirect("confirm:answer", code)
    context = _context(found)
    context.update(code=code, form=form)
    return render(request, "directory/confirm/public_correct.html", context)
