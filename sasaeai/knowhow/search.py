"""Word search over cases with the directory's Japanese search: the same normalising (width,
kana, long vowels), the same CJK unigram and bigram tokens and readings, so that 見守り,
みまもり and ﾐﾏﾓﾘ find the same case, and a two-character word works.

Each case and question keeps its tokens (`search_tokens`), in a word index of its table as
the activities' (migration 0005; `directory.search.match_q`): 10,000 cases are searched from
the index, not row by row (bench/knowhow_search_bench.py). What is marked internal and the
names in the voices are never in the tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from sasaeai.directory.search import (
    alternatives,
    match_q,
    normalize,
    query_tokens,
    reading_of,
    tokens_for,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from sasaeai.areas.models import Area

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


def matching(words: str, municipality: Area, model: type[Model]) -> Q:
    """A filter for the municipality's cases or questions (`model`) whose tokens hold all of
    `words` (one character or more), read from the word index.

    On SQLite the list's own index leads (lead=False): the matches are collected once and
    each case of the town's index tested against them, so that neither the count nor the
    page reads a matching row's texts (a common word matches thousands of cases; reading
    each cost more than the list itself)."""
    tokens = query_tokens(words, municipality.code)
    if not tokens:
        return Q()
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        # The index of migration 0007 (its function costed as it is, so that the planner
        # takes the matches from the index instead of building every case's word list).
        sql = f"knowhow_words({table}.municipality_id, {table}.search_tokens) @@ %s::tsquery"
        query = _tsquery(municipality.pk, tokens)
        return Q(RawSQL(sql, [query], output_field=BooleanField()))  # noqa: S611 (our own table)
    return match_q(tokens, [municipality.pk], table, lead=False)


def _tsquery(municipality: int, tokens: list[str]) -> str:
    """Every token of one set or another, in the municipality's own word lists (the lexemes
    `12/さろ` of directory migration 0009), as `directory.search.match_q` asks."""
    ways = [
        " & ".join("'" + f"{municipality}/{t}".replace("'", "''") + "'" for t in found)
        for found in alternatives(tokens)
    ]
    return " | ".join(f"({way})" for way in ways)
