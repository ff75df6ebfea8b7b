"""Word search over cases with the directory's Japanese search: the same normalising (width,
kana, long vowels), the same CJK unigram and bigram tokens and readings, so that 見守り,
みまもり and ﾐﾏﾓﾘ find the same case, and a two-character word works.

Each case keeps its tokens (`Case.search_tokens`); a search tests them on the rows of one
municipality's cases (`directory.search.scan_q`). A municipality has hundreds of cases, not the
directory's hundred thousand activities: an index of their own waits until the bench says so.
What is marked internal and the names in the voices are never in the tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from sasaeai.directory.search import normalize, query_tokens, reading_of, scan_q, tokens_for

if TYPE_CHECKING:
    from .models import AskedQuestion, Case

# The written sections searched, besides the title.
SEARCHED = ("background", "steps", "results", "tips", "next_challenges")


def case_tokens(case: Case) -> str:
    """The index tokens of a case: its title, its sections and its area's name."""
    texts = [getattr(case, name) for name in SEARCHED]
    area_name = case.area.name if case.area_id else ""
    text = normalize(" ".join([case.title, area_name, *texts]))
    title = normalize(case.title)
    title_reading = reading_of([case.title])
    readings = f"{title_reading} {reading_of([*texts, area_name])}".strip()
    return tokens_for(text, title, readings, title_reading)


def question_tokens(question: AskedQuestion) -> str:
    """The index tokens of a question (学び合う): its title, its text and its area's name, as
    a case's; its answers are not searched (the question says what it is about)."""
    area_name = question.area.name if question.area_id else ""
    text = normalize(" ".join([question.title, area_name, question.text]))
    title_reading = reading_of([question.title])
    readings = f"{title_reading} {reading_of([question.text, area_name])}".strip()
    return tokens_for(text, normalize(question.title), readings, title_reading)


def matching(words: str, municipality_code: str = "") -> Q:
    """A filter for cases whose tokens hold all of `words` (one character or more)."""
    tokens = query_tokens(words, municipality_code)
    return scan_q(tokens) if tokens else Q()
