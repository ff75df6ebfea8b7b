"""Staff pages of the booklet: an area's editions, an edition with its making's progress,
the council's texts, the activities it holds, its コラム, the preview and the PDFs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import content, document, lookups, services
from .forms import ChoiceForm, ColumnFormSet, EditionVersionForm, NewEditionForm, TextsForm
from .models import Column, Edition, Notice

VIEW, EDIT = lookups.VIEW, lookups.EDIT


@require_GET
@access.require(EDIT)
def index(request: HttpRequest) -> HttpResponse:
    """The areas this person makes booklets for; with one, straight to its page."""
    areas = list(lookups.areas(request.user))
    if len(areas) == 1:
        return redirect("booklets:area", areas[0].code)
    editions = lookups.editions(request).filter(area__in=areas)
    return render(request, "booklets/index.html", {"areas": areas, "editions": editions})


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """An area's editions, and a new one for a 年度 (by those who may edit the area)."""
    area = lookups.area(request, code)
    may_edit = lookups.may_edit(request.user, area)
    form = NewEditionForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            access.refuse(request, f"lacks {EDIT}", area=area)
        if form.is_valid():
            year = form.cleaned_data["fiscal_year"]
            try:
                with transaction.atomic():
                    edition = Edition.objects.create(
                        area=area, fiscal_year=year, created_by=request.user,  # type: ignore[misc]
                        issued_by=_("%(area)s 支え合い会議") % {"area": area.name},
                    )  # fmt: skip
            except IntegrityError:
                edition = Edition.objects.get(area=area, fiscal_year=year)
                messages.info(request, _("この年度の版はもうあります。"))
            return redirect(edition)
    editions = Edition.objects.filter(area=area)
    context = {"area": area, "editions": editions, "form": form, "may_edit": may_edit}
    return render(request, "booklets/area.html", context)


@require_GET
@access.require(VIEW)
def edition_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The edition: its texts and choices, the making's progress (its own fragment for htmx
    every few seconds), the downloads."""
    edition = lookups.edition(request, pk)
    Notice.objects.for_user(request.user).filter(edition=edition).mark_read()
    context = {
        "edition": edition,
        "job": edition,
        "may_edit": lookups.may_edit(request.user, edition.area) and not edition.is_finished,
        "stale": services.stale(edition),
        "download": reverse("booklets:pdf", args=[pk]) if edition.pdf else "",
        "columns": edition.columns.all(),
        "left_out": edition.left_out.count(),
        "candidates": content.candidates(edition.area).count(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/job_progress.html", context)
    return render(request, "booklets/edition.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def texts(request: HttpRequest, pk: int) -> HttpResponse:
    edition = lookups.draft(request, pk)
    form = TextsForm(request.POST or None, instance=edition)
    back = edition.get_absolute_url()
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("文章を保存しました。"))
        return redirect(edition)
    context = {"edition": edition, "form": form}
    return render(request, "booklets/texts.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Which activities go in: every public one of the area, less those unticked here."""
    edition = lookups.draft(request, pk)
    candidates = content.candidates(edition.area)
    left_out = set(edition.left_out.values_list("pk", flat=True))
    initial = {"included": [a.pk for a in candidates if a.pk not in left_out]}
    form = ChoiceForm(request.POST or None, initial=initial, candidates=candidates, record=edition)
    if request.method == "POST" and form.is_valid():
        included = {a.pk for a in form.cleaned_data["included"]}
        try:
            with transaction.atomic():
                optimistic.claim(edition, form.version_read)
                edition.left_out.set([a.pk for a in candidates if a.pk not in included])
                Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
        except optimistic.Stale as stale:
            form.refuse(stale, link=edition.get_absolute_url())
            if stale.current is not None and form.stale is not None:  # the activities that differ
                now_out = set(edition.left_out.values_list("pk", flat=True))  # as saved now
                rows = [
                    (
                        f"{a.name}（{a.area.name}）",
                        _("載せない") if a.pk in now_out else _("載せる"),
                    )
                    for a in candidates
                    if (a.pk in included) == (a.pk in now_out)
                ]
                form.stale = optimistic.Saved(rows, form.stale.link)
        else:
            messages.success(request, _("載せる活動を保存しました。"))
            return redirect(edition)
    context = {"edition": edition, "form": form}
    return render(request, "booklets/choose.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def columns(request: HttpRequest, pk: int) -> HttpResponse:
    edition = lookups.draft(request, pk)
    queryset = Column.objects.filter(edition=edition)
    formset = ColumnFormSet(
        request.POST or None, request.FILES or None, queryset=queryset, prefix="columns"
    )
    version = EditionVersionForm(request.POST or None, record=edition)
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        try:
            with transaction.atomic():  # all the columns or none (a photo on a full disk)
                optimistic.claim(edition, version.version_read)
                for column in formset.save(commit=False):
                    column.edition = edition
                    column.save()
                for column in formset.deleted_objects:
                    column.delete()
                Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
        except optimistic.Stale as stale:
            version.refuse(stale, link=edition.get_absolute_url(), files_sent=bool(request.FILES))
            if stale.current is not None and version.stale is not None:
                rows = _column_differences(formset, edition)
                version.stale = optimistic.Saved(rows, version.stale.link)
        else:
            messages.success(request, _("コラムを保存しました。"))
            return redirect(edition)
    context = {"edition": edition, "formset": formset, "version": version}
    return render(request, "booklets/columns.html", context, status=optimistic.status(version))


def _column_differences(formset: Any, edition: Edition) -> list[tuple[str, str]]:
    """The edition's columns as saved now where they differ from what the person sent: a
    field changed, a column taken out, a column someone added."""
    saved = {c.pk: c for c in Column.objects.filter(edition=edition)}
    rows: list[tuple[str, str]] = []
    sent = set()
    for form in formset.initial_forms:
        column = form.instance
        sent.add(column.pk)
        now = saved.get(column.pk)
        if now is None:
            rows.append((column.title, _("（ほかの人が削除しました）")))
            continue
        for label, value in optimistic.differences(form, now):
            rows.append((f"{now.title}: {label}", value))
    rows += [(c.title, _("（ほかの人が加えました）")) for pk, c in saved.items() if pk not in sent]
    return rows


@require_GET
@access.require(VIEW)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The booklet in the browser: a finished edition as it was made, a draft as it would be
    made now (with notes on what will be left out, such as a photo that cannot be read)."""
    edition = lookups.edition(request, pk)
    site = services.base_url(edition, request.build_absolute_uri("/"))
    gathered = edition.content if edition.is_finished else content.collect(edition, site)
    context = {"edition": edition, "c": document.dressed(gathered), "preview": True}
    return render(request, "booklets/preview.html", context)


@require_POST
@access.require(EDIT)
def make(request: HttpRequest, pk: int) -> HttpResponse:
    edition = lookups.draft(request, pk)
    if services.make(edition, request.user, request.build_absolute_uri("/")):
        if edition.job_busy:
            messages.info(request, _("PDFを作りはじめました。できあがるとお知らせします。"))
        elif edition.job_status == "failed":
            messages.error(request, edition.job_error)
        else:
            messages.success(request, _("PDFができあがりました。"))
    else:
        messages.info(request, _("いま作っているところです。できあがるまでお待ちください。"))
    return redirect(edition)


@require_POST
@access.require(EDIT)
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = lookups.draft(request, pk)
    if services.finish(edition):
        messages.success(
            request,
            _("この版を確定しました。あとから活動が変わっても、この版はこのまま印刷できます。"),
        )
    else:
        messages.error(request, _("先にPDFを作ってから確定してください。"))
    return redirect(edition)


@require_GET
@access.signed_in  # the edition decides: lookups.edition answers 404 to whoever may not see it
def pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _file(lookups.edition(request, pk), "pdf")


@require_GET
@access.signed_in
def sheet(request: HttpRequest, pk: int) -> FileResponse:
    return _file(lookups.edition(request, pk), "sheet")


def _file(edition: Edition, which: str) -> FileResponse:
    stored = getattr(edition, which)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = "-sheet" if which == "sheet" else ""
    name = f"guidebook-{edition.area.code}-{edition.fiscal_year}{suffix}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
