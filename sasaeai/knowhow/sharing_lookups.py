"""Who may see and do what with cases and questions shared beyond their municipality (issue
27), on top of accounts/access.py and the cases' and questions' own lookups.

Reading: the staff of the other municipalities of the installation (those who hold EDIT
somewhere: the SCs, the blocks, the ward; council members read their own municipality's
know-how only) read a case that its ward approved for sharing, while it stays published and
the sharing is not withdrawn; a question likewise, while it is not hidden and is open to the
whole municipality (never a block's joint review). They see the municipality's and the
region's names and what was written, nothing more about the people. Anything else of another
municipality is 404, audited, as everywhere. Those who read the case (or question) at home
see the same page, as a preview of what the others see.

Acting: the writer of a case (EDIT on its area) or the asker of a question asks for sharing,
the ward (EDIT on the municipality itself) may too; the ward approves or refuses it, with a
reason; the writer (asker) or the ward withdraws it. Anyone else who may read it gets 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.areas.models import Area

from . import lookups as case_lookups
from . import questions_lookups
from .models import AskedQuestion, AskedQuestionQuerySet, Case, CaseQuerySet, CaseStatus, ShareState

VIEW, EDIT = case_lookups.VIEW, case_lookups.EDIT
ASK, DECIDE, WITHDRAW = "ask to share", "approve or refuse sharing", "withdraw sharing"
READ_OTHERS = "read other municipalities' shared know-how"


def may_read_others(user: Any) -> bool:
    """Staff (EDIT somewhere) read what the other municipalities share."""
    return access.has_any(user, EDIT)


def _others(user: Any) -> Q:
    """Of a municipality other than the person's, when the person is staff."""
    if not may_read_others(user):
        return Q(pk__in=[])
    return ~Q(municipality_id__in=access.municipality_ids(user, VIEW))


def shared_case_q() -> Q:
    return Q(share_state=ShareState.APPROVED, status=CaseStatus.PUBLISHED)


def shared_question_q() -> Q:
    return Q(share_state=ShareState.APPROVED, hidden_at__isnull=True, block__isnull=True)


def other_cases(request: HttpRequest) -> CaseQuerySet:
    """The cases the other municipalities share with this person (none for non-staff)."""
    return Case.objects.filter(shared_case_q() & _others(request.user))


def other_questions(request: HttpRequest) -> AskedQuestionQuerySet:
    return AskedQuestion.objects.filter(shared_question_q() & _others(request.user))


def is_ward(user: Any, municipality: Area) -> bool:
    """EDIT on the municipality itself: the ward's staff, who approve sharing."""
    return case_lookups.may_write(user, municipality)


def ward_municipalities(user: Any) -> list[Area]:
    """The municipalities whose sharing requests this person decides."""
    return [a for a in access.granted_areas(user, EDIT) if a.is_municipality]


def read_case(request: HttpRequest, pk: int) -> Case:
    """A case on its shared page: shared with this person by another municipality, or a
    published case of their own that they read (the preview); else 404, audited."""
    own = case_lookups.visible(request.user) & Q(status=CaseStatus.PUBLISHED)
    seen = own | (shared_case_q() & _others(request.user))
    queryset = Case.objects.select_related("area", "municipality")
    return access.get_object(request, queryset, visible=seen, pk=pk)


def read_question(request: HttpRequest, pk: int) -> AskedQuestion:
    """A question on its shared page: shared by another municipality, or one of their own
    that they read (not hidden, not a joint review); else 404, audited."""
    own = questions_lookups.visible(request.user) & Q(hidden_at__isnull=True, block__isnull=True)
    seen = own | (shared_question_q() & _others(request.user))
    queryset = AskedQuestion.objects.select_related("area", "municipality")
    return access.get_object(request, queryset, visible=seen, pk=pk)


def _writes_case(user: Any, case: Case) -> bool:
    return case_lookups.may_write(user, case.area)


def _asks_question(user: Any, question: AskedQuestion) -> bool:
    return bool(user.pk) and question.author_id == user.pk


CASE_RULES = {
    ASK: lambda user, c: _writes_case(user, c),
    DECIDE: lambda user, c: is_ward(user, c.municipality),
    WITHDRAW: lambda user, c: _writes_case(user, c),  # the ward writes every case
}
QUESTION_RULES = {
    ASK: lambda user, q: _asks_question(user, q) or is_ward(user, q.municipality),
    DECIDE: lambda user, q: is_ward(user, q.municipality),
    WITHDRAW: lambda user, q: _asks_question(user, q) or is_ward(user, q.municipality),
}


def case(request: HttpRequest, pk: int, action: str) -> Case:
    """A case of this person's own municipality that they read (404, audited, if not), whose
    sharing they may change by `action` (403, audited, if not)."""
    found = case_lookups.case(request, pk)
    if not CASE_RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found.area)
    return found


def question(request: HttpRequest, pk: int, action: str) -> AskedQuestion:
    found = questions_lookups.question(request, pk)
    if not QUESTION_RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found.area)
    return found
