"""Who may see and do what with a question (学び合う) and its answers, on top of
accounts/access.py.

Seeing: a question is for everyone who holds VIEW anywhere in its municipality (SCs, blocks,
the ward, council members), as a published case is. A block's joint review (`block` set) is
for those whose areas lie in that block, or above it (the ward): another block's SC gets 404,
audited, as does anyone of another municipality.

Acting: anyone who sees a question answers it; its asker marks the answer that helped; each
person edits and deletes their own question or answer; the block SC (for the questions of its
block) and the ward hide an inappropriate one, with a reason. A person who may see but not act
gets 403, audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib.paths import is_under, paths_above

from .models import Answer, AskedQuestion, AskedQuestionQuerySet

VIEW, EDIT = "view", "edit"
OWN, ASKER, MODERATE = "own the words", "ask the question", "hide the words"
MODERATORS = (AreaKind.BLOCK, AreaKind.MUNICIPALITY)


def visible(user: Any, prefix: str = "") -> Q:
    """The questions `user` may read (`prefix` leads to the question from another model)."""
    paths = access.granted_paths(user, VIEW)
    line = {above for path in paths for above in paths_above(path)} | set(paths)
    whole = Q(**{f"{prefix}block__isnull": True,
                 f"{prefix}municipality_id__in": access.municipality_ids(user)})  # fmt: skip
    blocks = Q(**{f"{prefix}block__path__in": sorted(line)}) | access.under(
        paths, f"{prefix}block__path"
    )
    return whole | blocks


def questions(request: HttpRequest) -> AskedQuestionQuerySet:
    """Every question this person may read (hidden ones included: lists use .shown())."""
    return AskedQuestion.objects.filter(visible(request.user))


def may_see(user: Any, question: AskedQuestion) -> bool:
    """The same rule as `visible`, on a question already loaded (who hears of it)."""
    if question.block_id is None:
        return question.municipality_id in access.municipality_ids(user)
    block = question.block.path  # type: ignore[union-attr]
    return any(
        is_under(path, block) or is_under(block, path) for path in access.granted_paths(user, VIEW)
    )


def may_moderate(user: Any, area: Area) -> bool:
    """EDIT held by a role on a block or the municipality, at or above `area`."""
    return any(
        m.area.kind in MODERATORS and EDIT in m.capabilities and is_under(area.path, m.area.path)
        for m in access.memberships(user)
    )


def owns(user: Any, written: AskedQuestion | Answer) -> bool:
    return bool(user.pk) and written.author_id == user.pk and not written.is_hidden


def _place(question: AskedQuestion) -> Area:
    """Where a question is discussed: its block for a joint review, else its asker's area."""
    return question.block or question.area


QUESTION_RULES = {
    VIEW: lambda user, q: True,
    OWN: owns,
    ASKER: lambda user, q: bool(user.pk) and q.author_id == user.pk and not q.is_hidden,
    MODERATE: lambda user, q: may_moderate(user, _place(q)),
}
ANSWER_RULES = {
    VIEW: lambda user, a: True,
    OWN: owns,
    MODERATE: lambda user, a: may_moderate(user, _place(a.question)),
}


def question(request: HttpRequest, pk: int, action: str = VIEW) -> AskedQuestion:
    """A question this person may read (404, audited, if not), on which they may take
    `action` (403, audited, if not)."""
    queryset = AskedQuestion.objects.select_related("area", "block", "municipality")
    found = access.get_object(request, queryset, visible=visible(request.user), pk=pk)
    if not QUESTION_RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found.area)
    return found


def answer(request: HttpRequest, pk: int, action: str = VIEW) -> Answer:
    """An answer to a question this person may read (404 if not), on which they may take
    `action` (403 if not); both audited."""
    queryset = Answer.objects.select_related("question__area", "question__block", "area")
    found = access.get_object(request, queryset, visible=visible(request.user, "question__"), pk=pk)
    if not ANSWER_RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found.area)
    return found


def home_area(user: Any, municipality: Area) -> Area | None:
    """The area a person asks and answers from: the first one of the municipality on which
    they hold VIEW (a region SC's region, a council member's region, the ward)."""
    found = [a for a in access.granted_areas(user, VIEW)
             if (a.municipality_id or a.pk) == municipality.pk]  # fmt: skip
    return min(found, key=lambda a: a.path) if found else None


def openable_blocks(user: Any, municipality: Area) -> QuerySet[Area]:
    """The blocks a person may open a joint review to: those on which they hold EDIT (a block
    SC its block, the ward every block)."""
    found = access.areas(user, EDIT).filter(kind=AreaKind.BLOCK)
    return found.filter(Q(municipality=municipality)).order_by("sort_order", "path")


def block_of(request: HttpRequest, code: str) -> Area:
    """The block whose joint reviews a page shows, named by the block's code or a region's in
    it: an area of the person's municipality that lies on the line of their own areas (above
    or below); else 404, audited. An area in no block gives itself (its page says so)."""
    paths = access.granted_paths(request.user, VIEW)
    line = {above for path in paths for above in paths_above(path)} | set(paths)
    seen = Q(path__in=sorted(line)) | access.under(paths)
    area = access.get_object(request, Area.objects.all(), area_field="", visible=seen, code=code)
    if area.kind == AreaKind.BLOCK:
        return area
    blocks = [a for a in area.ancestors() if a.kind == AreaKind.BLOCK]
    return blocks[-1] if blocks else area
