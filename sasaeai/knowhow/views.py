"""Staff pages of the know-how: the home by the five ★ questions, the list with search and
filters, a case with its review and "役に立った", and writing a case."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import lookups, questions_views, services
from .attachments import FileForm, PhotoForm
from .filters import CaseFilterForm, list_page
from .forms import CaseForm, CommentForm, VoiceFormSet
from .models import Case, CaseQuerySet, CaseQuestion, CaseStatus, Notice, Question
from .rows import cases as case_rows

VIEW = lookups.VIEW
ON_HOME = 4  # cases shown under each question on the home page


@require_GET
@access.require(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The five ★ questions, each with the cases that answer it, most useful and newest first;
    and what waits for this person (their drafts, the cases they are asked to review)."""
    readable = lookups.cases(request)
    published = readable.published()
    # The first few of each question (one small query each), then those rows at once.
    chosen = {
        value: list(published.answering(value).most_useful().values_list("pk", flat=True)[:ON_HOME])
        for value in Question.values
    }
    wanted = {pk for pks in chosen.values() for pk in pks}
    rows = case_rows(wanted) if wanted else {}
    counts = dict(_counts(published))
    questions = [
        {"value": value, "label": label, "count": counts.get(value, 0),
         "cases": [rows[pk] for pk in chosen[value]]}
        for value, label in Question.choices
    ]  # fmt: skip
    unpublished = readable.exclude(status=CaseStatus.PUBLISHED).select_related("area")
    waiting = [c for c in unpublished.filter(status=CaseStatus.REVIEW)[:50]
               if lookups.may_review(request.user, c.area)]  # fmt: skip
    drafts = list(unpublished.filter(status=CaseStatus.DRAFT)[:20])
    # The ward (EDIT on the municipality) edits the themes and imports cases.
    ward = any(lookups.may_edit_themes(request.user, a) for a in access.granted_areas(
        request.user, lookups.EDIT) if a.kind == "municipality")  # fmt: skip
    context = {
        "questions": questions, "waiting": waiting, "drafts": drafts,
        "may_write": lookups.writable_areas(request.user).exists(),
        "may_edit_themes": ward, "may_import": ward,
        **questions_views.on_home(request, questions),
    }  # fmt: skip
    return render(request, "knowhow/home.html", context)


def _counts(published: CaseQuerySet) -> list[tuple[str, int]]:
    rows = CaseQuestion.objects.filter(case__in=published.values("pk"))
    return list(rows.values_list("question").annotate(n=Count("case")).order_by())


@require_GET
@access.require(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case this person may read, searched by words (the directory's Japanese search)
    and narrowed by question, theme, kind, stage, region and 年度."""
    municipality = lookups.municipality(request)
    form = CaseFilterForm(request.GET or None, municipality=municipality)
    found = lookups.cases(request).of(municipality)
    return list_page(request, form, found, "knowhow/list.html")


@require_GET
@access.require(VIEW)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A case, with its voices (names only with consent), related cases, the review steps
    for those who take them, and the "役に立った" button."""
    case = lookups.case(request, pk)
    services.count_view(case)
    Notice.objects.for_user(request.user).filter(case=case).mark_read()
    user = request.user
    context = {
        "case": case, "voices": case.voices.all(), "themes": case.themes.all(),
        "kinds": case.kinds.all(), "questions": case.question_labels(),
        "related": services.related(case, lookups.cases(request)),
        "activities": case.activities.all(), "meetings": case.meetings.select_related("council"),
        "local_events": case.local_events.all(), "goals": case.goals.all(),
        "comments": case.comments.all(), "history": case.history.all(),
        "may_write": lookups.may_write(user, case.area),
        "may_review": lookups.may_review(user, case.area),
        "may_mark": lookups.may_mark(user, case),
        "marked": case.useful_marks.filter(user_id=user.pk or 0).exists(),
        "comment_form": CommentForm(),
        "cited_in": questions_views.citing(request, case),
        "initiatives": case.initiative_labels(),
        "photos": case.photos.all(), "files": case.files.all(),
        "may_attach": lookups.may_attach(user, case),
        "photo_form": PhotoForm(case=case), "file_form": FileForm(case=case),
    }  # fmt: skip
    return render(request, "knowhow/case.html", context)


@require_http_methods(["GET", "POST"])
@access.require(lookups.EDIT)
def case_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, Case())


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.WRITE)
    if case.status == CaseStatus.REVIEW:
        messages.error(request, services.LOCKED)
        return redirect("knowhow_staff:case", case.pk)
    return _edit(request, case)


def _edit(request: HttpRequest, case: Case) -> HttpResponse:
    municipality = lookups.municipality(request)
    areas = lookups.writable_areas(request.user)
    services.ensure_themes(municipality)
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, instance=case, areas=areas, municipality=municipality)
    initial = [{"role": v.role, "words": v.words, "name": v.name, "name_consent": v.name_consent}
               for v in case.voices.all()] if case.pk else []  # fmt: skip
    voices = VoiceFormSet(data, initial=initial, prefix="voice")
    if data is not None and form.is_valid() and voices.is_valid():
        written = [
            services.VoiceText(**{k: v[k] for k in ("role", "words", "name", "name_consent")})
            for v in voices.cleaned_data
            if v.get("role") and v.get("words")
        ]
        try:
            saved = services.save_case(
                form.save(commit=False), by=request.user,
                questions=form.cleaned_data["questions"], voices=written, links_to=form.links(),
                initiatives=form.cleaned_data["initiatives"], version=form.version_read,
            )  # fmt: skip
            if "send" in request.POST:
                services.send_for_review(saved, by=request.user)
                messages.success(request, _("保存して、確認をお願いしました。"))
            else:
                messages.success(request, _("保存しました。"))
        except optimistic.Stale as stale:
            form.refuse(stale, link=case.get_absolute_url())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("knowhow_staff:home")
        else:
            return redirect("knowhow_staff:case", saved.pk)
    context = {"form": form, "voices": voices, "case": case,
               "returns_to_draft": case.is_published
               and not lookups.may_review(request.user, case.area)}  # fmt: skip
    return render(request, "knowhow/form.html", context, status=optimistic.status(form))


@require_POST
@access.require(VIEW)
def send(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.WRITE)
    _try(request, lambda: services.send_for_review(case, by=request.user),
         _("確認をお願いしました。"))  # fmt: skip
    return redirect("knowhow_staff:case", case.pk)


@require_POST
@access.require(VIEW)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.REVIEW)
    _try(request, lambda: services.publish(case, by=request.user), _("承認して公開しました。"))
    return redirect("knowhow_staff:case", case.pk)


@require_POST
@access.require(VIEW)
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.REVIEW)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("差し戻すときは、直してほしいことを書いてください。"))
    else:
        text = form.cleaned_data["text"]
        _try(request, lambda: services.return_to_draft(case, text, by=request.user),
             _("差し戻しました。"))  # fmt: skip
    return redirect("knowhow_staff:case", case.pk)


@require_POST
@access.require(VIEW)
def useful(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the case useful, once per person; htmx swaps the button for its new state."""
    case = lookups.case(request, pk, lookups.MARK)
    case.useful_count = services.mark_useful(case, request.user)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"case": case, "may_mark": True, "marked": True}
        return render(request, "knowhow/_useful.html", context)
    messages.success(request, _("「役に立った」を送りました。"))
    return redirect("knowhow_staff:case", case.pk)


def _try(request: HttpRequest, step: Callable[[], object], done: str) -> None:
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
