"""Questions and answers (学び合う): ask, answer, mark the answer that helped, edit and delete
one's own words, hide someone's (the block or the ward, with a reason), and tell the people
who follow a tag. Views, the demo and tests all go through these; every record written is
audited (Audited), deletions included.

Telling: an in-app notice (QuestionNotice) and a mail without the words (lib/notices.py,
through the task worker), to those who follow one of the question's tags and may see it, and,
for a new answer, to the asker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.lib import links, optimistic
from sasaeai.lib.actors import actor_name
from sasaeai.lib.notices import Message, notify

from . import questions_lookups as lookups
from .models import Answer, AskedQuestion, AskedStar, Case, Follow, QuestionNotice


def tags_of(question: AskedQuestion) -> set[str]:
    """The question's tags as people follow them (Follow.tag)."""
    found = {f"star:{s.star}" for s in question.stars.all()}
    found |= {f"theme:{pk}" for pk in question.themes.values_list("pk", flat=True)}
    found |= {f"kind:{pk}" for pk in question.kinds.values_list("pk", flat=True)}
    if question.stage:
        found.add(f"stage:{question.stage}")
    return found


def followers(question: AskedQuestion) -> list[User]:
    """Who follows one of the question's tags and may see it."""
    ids = Follow.objects.filter(municipality=question.municipality, tag__in=tags_of(question))
    users = User.objects.filter(pk__in=ids.values("user_id"), is_active=True).order_by("pk")
    return [u for u in users if lookups.may_see(u, question)]


def follow(user: Any, municipality: Area, tags: Iterable[str]) -> None:
    """Follow exactly `tags` in `municipality` (those not given are no longer followed)."""
    wanted = set(tags)
    mine = Follow.objects.filter(user=user, municipality=municipality)
    mine.exclude(tag__in=wanted).delete()
    have = set(mine.values_list("tag", flat=True))
    Follow.objects.bulk_create(
        [Follow(user=user, municipality=municipality, tag=t) for t in sorted(wanted - have)],
        ignore_conflicts=True,
    )


def _tell(question: AskedQuestion, users: Iterable[Any], subject: str, lead: str, by: Any) -> None:
    path = reverse("knowhow_staff:question", args=[question.pk])
    link = links.absolute(path, question.municipality)
    notify(users, QuestionNotice, Message(subject=subject, lead=lead, link=link), but=by,
           question=question)  # fmt: skip


def _set_tags(
    question: AskedQuestion, stars: Iterable[str], tags: Mapping[str, Iterable[Any]]
) -> None:
    AskedStar.objects.filter(question=question).delete()
    AskedStar.objects.bulk_create(
        [AskedStar(question=question, star=s) for s in dict.fromkeys(stars)]
    )
    for name in ("themes", "kinds"):
        if name in tags:
            getattr(question, name).set(list(tags[name]))


@transaction.atomic
def ask(
    question: AskedQuestion, *, by: Any, stars: Iterable[str],
    tags: Mapping[str, Iterable[Any]] | None = None,
) -> AskedQuestion:  # fmt: skip
    """Save a new question (`question` unsaved, its area the asker's) with its ★ questions
    and tags (themes, kinds), and tell those who follow one of them."""
    question.author = by if getattr(by, "is_authenticated", False) else None
    question.author_name = actor_name(by)
    question.save()
    _set_tags(question, stars, tags or {})
    lead = _("%(area)sから、フォローしているテーマの質問が届きました。") % {
        "area": question.area.name
    }
    _tell(question, followers(question), _("学び合う：新しい質問があります"), lead, by)
    return question


@transaction.atomic
def edit_question(
    question: AskedQuestion, *, by: Any, stars: Iterable[str],
    tags: Mapping[str, Iterable[Any]] | None = None, version: optimistic.Version = None,
) -> AskedQuestion:  # fmt: skip
    """Save the asker's changes (nobody is told again); `Stale` when the question changed
    since `version` was read (lib/optimistic.py)."""
    optimistic.claim(question, version)
    question.edited_at = timezone.now()
    question.save()
    _set_tags(question, stars, tags or {})
    return question


def _recount(question: AskedQuestion) -> None:
    question.answer_count = question.answers.filter(hidden_at__isnull=True).count()
    AskedQuestion.objects.filter(pk=question.pk).update(answer_count=question.answer_count)


@transaction.atomic
def answer(
    question: AskedQuestion, text: str, *, by: Any, area: Area, cases: Iterable[Case] = ()
) -> Answer:
    """Answer a question (from `area`, the answerer's), citing published cases; tell the
    asker and those who follow one of its tags."""
    if question.is_hidden:
        raise ValidationError(_("非表示になった質問には答えられません。"))
    written = Answer.objects.create(
        question=question, area=area, text=text.strip(), author_name=actor_name(by),
        author=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    written.cases.set(list(cases))
    _recount(question)
    lead = _("%(area)sから、質問に回答がありました。") % {"area": area.name}
    told = [question.author, *followers(question)]
    _tell(question, [u for u in told if u is not None], _("学び合う：回答がありました"), lead, by)
    return written


@transaction.atomic
@transaction.atomic
def edit_answer(
    written: Answer, text: str, *, cases: Iterable[Case], version: optimistic.Version = None
) -> Answer:
    """Save the answerer's changes; `Stale` when the answer changed since `version`."""
    optimistic.claim(written, version)
    written.text = text.strip()
    written.edited_at = timezone.now()
    written.save()
    written.cases.set(list(cases))
    return written


@transaction.atomic
def delete_answer(written: Answer) -> None:
    question = written.question
    written.delete()  # the question's helpful answer, if it was this one, is cleared (SET_NULL)
    _recount(question)


def delete_question(question: AskedQuestion) -> None:
    """Delete a question with its answers (each deletion lands in the audit log)."""
    with transaction.atomic():
        AskedQuestion.objects.filter(pk=question.pk).update(helpful_answer=None)
        for written in question.answers.all():
            written.delete()
        question.delete()


@transaction.atomic
def mark_helpful(question: AskedQuestion, chosen: Answer | None) -> AskedQuestion:
    """The asker marks the answer that helped: one at a time, changeable, or none."""
    if chosen is not None and (chosen.question_id != question.pk or chosen.is_hidden):
        raise ValidationError(_("この質問への回答を選んでください。"))
    question.helpful_answer = chosen
    question.save(update_fields=["helpful_answer"])
    return question


@transaction.atomic
def hide(written: AskedQuestion | Answer, reason: str, *, by: Any) -> None:
    """Hide an inappropriate question or answer, saying why (the block or the ward)."""
    if not reason.strip():
        raise ValidationError(_("非表示にする理由を書いてください。"))
    written.hidden_at = timezone.now()
    written.hidden_reason = reason.strip()
    written.hidden_by_name = actor_name(by)
    written.save(update_fields=["hidden_at", "hidden_reason", "hidden_by_name"])
    if isinstance(written, Answer):
        question = written.question
        if question.helpful_answer_id == written.pk:
            mark_helpful(question, None)
        _recount(question)
