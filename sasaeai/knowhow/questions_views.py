"""Staff pages of the questions and answers (学び合う): the list with search and filters, a
question with its answers, asking, answering (citing cases), marking the answer that helped,
editing and deleting one's own words, hiding someone's, the tags one follows, and a block's
joint reviews beside its liaison meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.events.models import Event
from sasaeai.lib import optimistic

from . import lookups as case_lookups
from . import questions_lookups as lookups
from . import questions_services as services
from .filters import QuestionFilterForm, list_page
from .models import Answer, AskedQuestion, AskedStar, QuestionNotice
from .questions_forms import (
    AnswerForm,
    FollowForm,
    HideForm,
    QuestionForm,
)
from .services import ensure_themes

VIEW = lookups.VIEW
LIAISON = "block-liaison"  # the events' kind of a block's liaison meeting (events/kinds.py)


def _citable(request: HttpRequest) -> Any:
    """The published cases an answer may cite: those this person reads, of their town."""
    municipality = case_lookups.municipality(request)
    return case_lookups.cases(request).of(municipality).published()


@require_GET
@access.require(VIEW)
def question_list(request: HttpRequest) -> HttpResponse:
    """Every question this person may read, searched by words (the directory's Japanese
    search) and narrowed by ★ question, theme, kind and stage; newest or most useful first."""
    municipality = case_lookups.municipality(request)
    form = QuestionFilterForm(request.GET or None, municipality=municipality)
    found = lookups.questions(request).of(municipality).shown()
    return list_page(request, form, found, "knowhow/questions/list.html")


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def question_new(request: HttpRequest) -> HttpResponse:
    """Ask the municipality (or, for a block SC, the regions of the block)."""
    municipality = case_lookups.municipality(request)
    area = lookups.home_area(request.user, municipality)
    ensure_themes(municipality)
    blocks = lookups.openable_blocks(request.user, municipality)
    data = request.POST if request.method == "POST" else None
    initial = {"scope": request.GET.get("block")} if request.GET.get("block") else None
    form = QuestionForm(data, initial=initial, instance=AskedQuestion(),
                        municipality=municipality, blocks=blocks)  # fmt: skip
    if data is not None and form.is_valid() and area is not None:
        question = form.save(commit=False)
        question.area, question.block = area, form.block()
        services.ask(question, by=request.user, stars=form.cleaned_data["stars"],
                     tags=form.tags())  # fmt: skip
        messages.success(request, _("質問しました。回答がつくとお知らせします。"))
        return redirect("knowhow_staff:question", question.pk)
    return render(request, "knowhow/questions/form.html", {"form": form, "question": None})


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = lookups.question(request, pk, lookups.OWN)
    municipality = question.municipality
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question, municipality=municipality,
                        blocks=lookups.openable_blocks(request.user, municipality))  # fmt: skip
    if data is not None and form.is_valid():
        try:
            services.edit_question(form.save(commit=False), by=request.user,
                                   stars=form.cleaned_data["stars"], tags=form.tags(),
                                   version=form.version_read)  # fmt: skip
        except optimistic.Stale as stale:
            form.refuse(stale, link=question.get_absolute_url())
        else:
            messages.success(request, _("質問を書き直しました。"))
            return redirect("knowhow_staff:question", question.pk)
    context = {"form": form, "question": question}
    return render(request, "knowhow/questions/form.html", context, status=optimistic.status(form))


@require_GET
@access.require(VIEW)
def question_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with its answers (each with the cases it cites), the answer that helped
    first; the form to answer; the asker's and the moderators' buttons."""
    question = lookups.question(request, pk)
    QuestionNotice.objects.for_user(request.user).filter(question=question).mark_read()
    user = request.user
    answers = list(question.answers.select_related("area").prefetch_related("cases__area"))
    helpful = next((a for a in answers if a.pk == question.helpful_answer_id), None)
    if helpful is not None:
        answers = [helpful, *[a for a in answers if a is not helpful]]
    moderate = lookups.may_moderate(user, question.block or question.area)
    context = {
        "question": question, "answers": answers, "helpful": helpful,
        "stars": question.star_labels(), "themes": question.themes.all(),
        "kinds": question.kinds.all(),
        "is_asker": lookups.QUESTION_RULES[lookups.ASKER](user, question),
        "owns": lookups.owns(user, question), "may_moderate": moderate,
        "shows_words": not question.is_hidden or moderate or question.author_id == user.pk,
        "answer_form": AnswerForm(cases=_citable(request)) if not question.is_hidden else None,
        "meetings": _liaison_meetings(question.block) if question.block else [],
    }  # fmt: skip
    return render(request, "knowhow/questions/question.html", context)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = lookups.question(request, pk, lookups.OWN)
    if request.method == "POST":
        services.delete_question(question)
        messages.success(request, _("質問を消しました。"))
        return redirect("knowhow_staff:questions")
    context = {"title": question.title, "back": question.get_absolute_url(),
               "what": _("この質問と、ついた回答をすべて消します。元には戻せません。")}  # fmt: skip
    return render(request, "knowhow/questions/delete.html", context)


@require_POST
@access.require(VIEW)
def answer_new(request: HttpRequest, pk: int) -> HttpResponse:
    question = lookups.question(request, pk)
    area = lookups.home_area(request.user, question.municipality)
    form = AnswerForm(request.POST, cases=_citable(request))
    if form.is_valid() and area is not None and not question.is_hidden:
        services.answer(question, form.cleaned_data["text"], by=request.user, area=area,
                        cases=form.cleaned_data["cases"])  # fmt: skip
        messages.success(request, _("回答しました。"))
        return redirect("knowhow_staff:question", question.pk)
    context = {"form": form, "question": question, "answer": None}
    return render(request, "knowhow/questions/answer_form.html", context, status=400)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    written = lookups.answer(request, pk, lookups.OWN)
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, instance=written, cases=_citable(request))
    if data is not None and form.is_valid():
        try:
            services.edit_answer(
                written, form.cleaned_data["text"], cases=form.cleaned_data["cases"],
                version=form.version_read,
            )  # fmt: skip
        except optimistic.Stale as stale:
            form.refuse(stale, link=written.question.get_absolute_url())
        else:
            messages.success(request, _("回答を書き直しました。"))
            return redirect("knowhow_staff:question", written.question_id)
    context = {"form": form, "question": written.question, "answer": written}
    return render(request, "knowhow/questions/answer_form.html", context,
                  status=optimistic.status(form))  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    written = lookups.answer(request, pk, lookups.OWN)
    back = written.question.get_absolute_url()
    if request.method == "POST":
        services.delete_answer(written)
        messages.success(request, _("回答を消しました。"))
        return redirect(back)
    context = {"title": written.question.title, "back": back,
               "what": _("この質問へのあなたの回答を消します。元には戻せません。")}  # fmt: skip
    return render(request, "knowhow/questions/delete.html", context)


@require_POST
@access.require(VIEW)
def helpful(request: HttpRequest, pk: int) -> HttpResponse:
    """The asker marks the answer that helped (`answer`), or takes the mark back (empty)."""
    question = lookups.question(request, pk, lookups.ASKER)
    chosen: Answer | None = None
    if request.POST.get("answer"):
        chosen = question.answers.filter(pk=_int(request.POST["answer"])).first()
        if chosen is None:
            messages.error(request, _("この質問への回答を選んでください。"))
            return redirect("knowhow_staff:question", question.pk)
    try:
        services.mark_helpful(question, chosen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("「役に立った回答」にしました。") if chosen
                         else _("「役に立った回答」の印をはずしました。"))  # fmt: skip
    return redirect("knowhow_staff:question", question.pk)


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 12 else 0


@require_POST
@access.require(VIEW)
def question_hide(request: HttpRequest, pk: int) -> HttpResponse:
    question = lookups.question(request, pk, lookups.MODERATE)
    _hide(request, question)
    return redirect("knowhow_staff:question", question.pk)


@require_POST
@access.require(VIEW)
def answer_hide(request: HttpRequest, pk: int) -> HttpResponse:
    written = lookups.answer(request, pk, lookups.MODERATE)
    _hide(request, written)
    return redirect("knowhow_staff:question", written.question_id)


def _hide(request: HttpRequest, written: AskedQuestion | Answer) -> None:
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("非表示にする理由を書いてください。"))
        return
    services.hide(written, form.cleaned_data["reason"], by=request.user)
    messages.success(request, _("非表示にしました。"))


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def follow(request: HttpRequest) -> HttpResponse:
    """The tags this person follows, chosen by check boxes."""
    municipality = case_lookups.municipality(request)
    ensure_themes(municipality)
    mine = set(request.user.knowhow_follows.filter(  # type: ignore[union-attr]
        municipality=municipality).values_list("tag", flat=True))  # fmt: skip
    data = request.POST if request.method == "POST" else None
    form = FollowForm(data, initial=FollowForm.initial_from(mine), municipality=municipality)
    if data is not None and form.is_valid():
        services.follow(request.user, municipality, form.tags())
        messages.success(request, _("お知らせを受けるテーマを保存しました。"))
        return redirect("knowhow_staff:follow")
    return render(request, "knowhow/questions/follow.html", {"form": form})


def _liaison_meetings(block: Any) -> list[Event]:
    """The block's liaison meetings (published), the coming ones first, then the past."""
    found = Event.objects.filter(area=block, kind__code=LIAISON).published().going_ahead()
    return list(found.order_by("-starts_at")[:6])


@require_GET
@access.require(VIEW)
def block_page(request: HttpRequest, code: str) -> HttpResponse:
    """A block's joint reviews (合同検討), beside its liaison meetings: named by the block's
    code or one of its regions'."""
    block = lookups.block_of(request, code)
    is_block = block.kind == "block"
    found = lookups.questions(request).for_block(block).shown().newest().for_rows()
    context = {
        "the_block": block, "is_block": is_block, "questions": list(found[:50]),
        "meetings": _liaison_meetings(block) if is_block else [],
        "may_open": is_block
        and lookups.openable_blocks(request.user, block.municipality or block)
        .filter(pk=block.pk).exists(),
    }  # fmt: skip
    return render(request, "knowhow/questions/block.html", context)


ON_HOME = 3  # questions shown under each ★ question on the know-how home


def on_home(request: HttpRequest, stars: list[dict[str, Any]]) -> dict[str, Any]:
    """For the know-how home: under each ★ question (`stars`, the home's rows), its questions
    beside its cases, most useful and newest first; and the blocks whose joint reviews this
    person reads. A few queries, however many questions there are."""
    shown = lookups.questions(request).shown()
    pairs = (
        AskedStar.objects.filter(question__in=shown.values("pk"))
        .order_by("-question__answer_count", "-question__created_at", "-question__pk")
        .values_list("star", "question_id", "question__helpful_answer")
    )
    chosen: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    ordered = sorted(pairs[:5000], key=lambda p: p[2] is None)  # those that helped first
    for star, pk, _helped in ordered:
        counts[star] = counts.get(star, 0) + 1
        if len(chosen.setdefault(star, [])) < ON_HOME:
            chosen[star].append(pk)
    wanted = {pk for pks in chosen.values() for pk in pks}
    rows = {q.pk: q for q in AskedQuestion.objects.filter(pk__in=wanted).for_rows()}
    for row in stars:
        row["asked"] = [rows[pk] for pk in chosen.get(row["value"], [])]
        row["asked_count"] = counts.get(row["value"], 0)
    # A region below a block (its path has three parts) or a block: its joint reviews' page.
    lined = [a for a in access.granted_areas(request.user, VIEW)
             if a.kind == "block" or (a.kind == "region" and a.path.count("/") >= 2)]  # fmt: skip
    return {"joint_code": lined[0].code if lined else ""}


def citing(request: HttpRequest, case: Any) -> list[AskedQuestion]:
    """The questions (that this person may read, not hidden) whose answers cite `case`."""
    found = lookups.questions(request).shown().filter(answers__cases=case).distinct()
    return list(found.select_related("area").newest()[:20])
