"""Word search over activities: normalised text, indexed as CJK unigrams and bigrams.

The technique of Lucene's CJK bigram filter, in the database's own index:
SQLite FTS5 (an external-content table kept by triggers) and, on PostgreSQL, a GIN
index over `array_to_tsvector` of the same tokens (lexemes taken as they are, no
parser, so Japanese is never mangled). A query is normalised the same way and
becomes an AND of its tokens: one character matches a unigram, longer words their
bigrams, so さろん, ｻﾛﾝ and サロン all find サロン, and 茶 or 体操 work too.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from sasaeai.lib.text import normalize

__all__ = ["match_q", "normalize", "query_tokens", "tokens_for"]

# Runs of Japanese script (kana, kanji, the long-vowel mark) and runs of Latin letters/digits.
_RUNS = re.compile(
    r"(?P<cjk>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffー々〆]+)|(?P<word>[0-9a-z]+)"
)


def _run_tokens(text: str, *, unigrams: bool) -> list[str]:
    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        run = match.group(0)
        bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
        if match.group("word"):
            tokens.append(run)
        elif unigrams:
            tokens.extend([*run, *bigrams])
        else:
            tokens.extend(bigrams or [run])
    return tokens


def tokens_for(normalized_text: str) -> str:
    """Index tokens of already-normalised text: every unigram and bigram, each once."""
    return " ".join(dict.fromkeys(_run_tokens(normalized_text, unigrams=True)))


def query_tokens(query: str) -> list[str]:
    """Tokens that all must match: a one-character word by itself, longer ones as bigrams."""
    return list(dict.fromkeys(_run_tokens(normalize(query), unigrams=False)))


def match_q(tokens: list[str], table: str = "directory_activity") -> Q:
    """A filter for activities whose index holds every token (uses the index, never a scan)."""
    if connection.vendor == "postgresql":
        query = " & ".join("'" + t.replace("'", "''") + "'" for t in tokens)
        sql = f"array_to_tsvector(string_to_array({table}.search_tokens, ' ')) @@ %s::tsquery"
        # The SQL names only our own table; the user's words travel as a parameter.
        return Q(RawSQL(sql, [query], output_field=BooleanField()))  # noqa: S611
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    fts = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    return Q(id__in=RawSQL(fts, [match]))  # noqa: S611
