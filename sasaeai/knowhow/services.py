"""The case's workflow: save (a draft, or a published case edited by its reviewer), send for
review, return with a comment, publish; the "役に立った" marks and the view count; the data
box filled from the progress app. Views, the demo and tests all go through these; each step
lands in the case's history, and every record written is audited (Audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.areas.models import Area
from sasaeai.lib import links, memo, optimistic
from sasaeai.lib.actors import actor_name
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.notices import Message, notify
from sasaeai.progress.models import Population
from sasaeai.progress.population import regions_of

from . import lookups
from .models import (
    DEFAULT_THEMES,
    Case,
    CaseComment,
    CaseInitiative,
    CaseQuerySet,
    CaseQuestion,
    CaseStatus,
    CaseStep,
    Notice,
    Theme,
    UsefulMark,
    Voice,
)

LOCKED = gettext_lazy("確認をお願いしている間は書き直せません。差し戻しを待ってください。")


@dataclass(frozen=True)
class VoiceText:
    role: str
    words: str
    name: str = ""
    name_consent: bool = False


def ensure_themes(municipality: Area) -> QuerySet[Theme]:
    """The municipality's themes, seeded with DEFAULT_THEMES the first time they are asked for."""
    themes = Theme.objects.of(municipality)
    if not themes.exists():
        seeded = [
            Theme(municipality=municipality, name=name, sort_order=i)
            for i, name in enumerate(DEFAULT_THEMES)
        ]
        Theme.objects.bulk_create(seeded, ignore_conflicts=True)
        memo.forget()  # bulk_create sends no post_save: the search form's options are new
    return Theme.objects.of(municipality)


def fill_figures(case: Case) -> None:
    """Fill the data box's 65+ population and its date from the progress app's figures for the
    case's area (a block or the ward: the sum of its regions), of the case's 年度 or the latest
    before it, where the writer left them empty."""
    if case.aged_65_up is not None:
        return
    regions = regions_of(case.area)
    year = fiscal_year_of(case.happened_on)
    rows = Population.objects.filter(area__in=regions, fiscal_year__lte=year)
    latest = rows.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    if latest is None:
        return
    found = list(rows.filter(fiscal_year=latest))
    if len(found) < len(regions):
        return  # a sum of some regions would mislead
    case.aged_65_up = sum(p.aged_65_up for p in found)
    case.figures_as_of = case.figures_as_of or max(p.as_of for p in found)


def _step(case: Case, by: Any, note: str) -> CaseStep:
    return CaseStep.record(by=by, case=case, status=case.status, note=note)


@transaction.atomic
def save_case(
    case: Case,
    *,
    by: Any,
    questions: Iterable[str],
    voices: Sequence[VoiceText] | None = None,
    links_to: Mapping[str, Iterable[Any]] | None = None,
    initiatives: Iterable[str] | None = None,
    version: optimistic.Version = None,
) -> Case:
    """Save a case written or changed (`case` unsaved, its fields as the form left them), with
    the ★ questions it answers, its voices (replacing those it had, when given) and its tags and
    links (`links_to`: themes, kinds, activities, meetings, local_events, goals).

    While it waits for review it cannot be changed. A published case changed by someone who
    may not publish it goes back to draft, to be reviewed again; its reviewer may correct it
    where it stands. `initiatives`, when given, replace the guidebook's initiatives it is
    tagged with. `Stale` when someone saved the case since `version` was read (the form's;
    lib/optimistic.py): nothing is written."""
    new = case.pk is None
    if not new:
        optimistic.claim(case, version)
        stored = Case.objects.select_for_update().get(pk=case.pk)
        if stored.status == CaseStatus.REVIEW:
            raise ValidationError(LOCKED)
        if stored.status == CaseStatus.PUBLISHED and not lookups.may_review(by, case.area):
            case.status = CaseStatus.DRAFT
            case.published_at = None
    else:
        case.author = by if getattr(by, "is_authenticated", False) else None
        case.author_name = actor_name(by)
        case.status = CaseStatus.DRAFT
    fill_figures(case)
    case.save()
    CaseQuestion.objects.filter(case=case).delete()
    CaseQuestion.objects.bulk_create(
        [CaseQuestion(case=case, question=q) for q in dict.fromkeys(questions)]
    )
    if initiatives is not None:
        CaseInitiative.objects.filter(case=case).delete()
        CaseInitiative.objects.bulk_create(
            [CaseInitiative(case=case, initiative=i) for i in dict.fromkeys(initiatives)]
        )
    for name, chosen in (links_to or {}).items():
        getattr(case, name).set(list(chosen))
    if voices is not None:
        case.voices.all().delete()
        for i, voice in enumerate(voices):
            Voice.objects.create(
                case=case, position=i, role=voice.role, words=voice.words,
                name=voice.name if voice.name_consent else "", name_consent=voice.name_consent,
            )  # fmt: skip
    _step(case, by, _("書きました。") if new else _("書き直しました。"))
    return case


@transaction.atomic
def send_for_review(case: Case, *, by: Any) -> Case:
    case = Case.objects.select_for_update().select_related("area").get(pk=case.pk)
    if case.status != CaseStatus.DRAFT:
        raise ValidationError(_("下書きのときだけ確認をお願いできます。"))
    case.status = CaseStatus.REVIEW
    case.save(update_fields=["status"])
    _step(case, by, _("確認をお願いしました。"))
    _tell(case, lookups.reviewers(case.area), _("事例の確認をお願いします"), by)
    return case


@transaction.atomic
def return_to_draft(case: Case, text: str, *, by: Any) -> Case:
    """The reviewer sends the case back to its writer, saying what to change."""
    case = Case.objects.select_for_update().select_related("area").get(pk=case.pk)
    if case.status != CaseStatus.REVIEW:
        raise ValidationError(_("確認をお願いされている事例だけ差し戻せます。"))
    comment(case, text, by=by)
    case.status = CaseStatus.DRAFT
    case.save(update_fields=["status"])
    _step(case, by, _("差し戻しました。"))
    _tell(case, lookups.writers(case), _("事例が差し戻されました"), by)
    return case


@transaction.atomic
def publish(case: Case, *, by: Any) -> Case:
    """The reviewer publishes the case: to staff, and to residents when its audience says so."""
    case = Case.objects.select_for_update().select_related("area").get(pk=case.pk)
    if case.status != CaseStatus.REVIEW:
        raise ValidationError(_("確認をお願いされている事例だけ公開できます。"))
    case.status = CaseStatus.PUBLISHED
    case.published_at = timezone.now()
    case.save(update_fields=["status", "published_at"])
    _step(case, by, _("承認して公開しました。"))
    _tell(case, lookups.writers(case), _("事例が公開されました"), by)
    return case


def comment(case: Case, text: str, *, by: Any) -> CaseComment:
    if not text.strip():
        raise ValidationError(_("コメントを書いてください。"))
    return CaseComment.objects.create(
        case=case, author=by if getattr(by, "is_authenticated", False) else None,
        author_name=actor_name(by), text=text.strip(),
    )  # fmt: skip


def _tell(case: Case, users: Any, subject: str, by: Any) -> None:
    """An in-app notice and a mail without the case's words (lib/notices.py)."""
    path = reverse("knowhow_staff:case", args=[case.pk])
    lead = _("%(area)sの事例です。") % {"area": case.area.name}
    link = links.absolute(path, case.area.municipality or case.area)
    notify(users, Notice, Message(subject=subject, lead=lead, link=link), but=by, case=case)


def mark_useful(case: Case, user: Any) -> int:
    """Mark the case useful for `user`, once: a second tap (or two at the same moment) adds
    nothing. The case's count, as it stands after."""
    try:
        with transaction.atomic():
            UsefulMark.objects.create(case=case, user=user)
    except IntegrityError:
        pass  # marked already
    else:
        Case.objects.filter(pk=case.pk).update(useful_count=F("useful_count") + 1)
    return Case.objects.filter(pk=case.pk).values_list("useful_count", flat=True).get()


def count_view(case: Case) -> None:
    """One more view (a staff member opened the case's page); no history, no audit entry."""
    Case.objects.filter(pk=case.pk).update(view_count=F("view_count") + 1)


def related(case: Case, readable: CaseQuerySet, limit: int = 5) -> list[Case]:
    """Published cases readable by the person that share the most themes, kinds and ★
    questions with `case`, the most useful first among equals."""
    themes = list(case.themes.values_list("pk", flat=True))
    kinds = list(case.kinds.values_list("pk", flat=True))
    questions = list(case.questions.values_list("question", flat=True))
    if not (themes or kinds or questions):
        return []
    sharing = Q(themes__in=themes) | Q(kinds__in=kinds) | Q(questions__question__in=questions)
    shared = (
        Count("themes", filter=Q(themes__in=themes), distinct=True)
        + Count("kinds", filter=Q(kinds__in=kinds), distinct=True)
        + Count("questions", filter=Q(questions__question__in=questions), distinct=True)
    )
    found = (
        readable.published()
        .exclude(pk=case.pk)
        .filter(pk__in=Case.objects.filter(sharing).values("pk"))
        .annotate(shared=shared)
        .order_by("-shared", "-useful_count", "-happened_on", "-pk")
        .select_related("area")
    )
    return list(found[:limit])
