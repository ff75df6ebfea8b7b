"""Word search over activities: normalised text, indexed as CJK unigrams and bigrams.

The technique of Lucene's CJK bigram filter, in the database's own index:
SQLite FTS5 (an external-content table kept by triggers) and, on PostgreSQL, a GIN
index over `directory_search_vector(municipality_id, search_tokens)`, the `array_to_tsvector`
of the same tokens, each carrying its municipality (`12/さろ`: a word list per tenant), taken
as they are (no parser, so Japanese is never mangled). A query is
normalised the same way and becomes an AND of its tokens: one character matches a unigram,
longer words their bigrams, so さろん, ｻﾛﾝ and サロン all find サロン, and 茶 or 体操 work too.

Readings (issue 25): the tokens also hold the bigrams of the text's readings (hiragana, from
`lib/readings.py`), so that いぬ finds 犬; a query in kanji is its own tokens OR those of its
reading (and of the municipality's synonyms, `search_synonyms.py`), so that 体操 finds たいそう:
sets of tokens joined by OR in the token list, which every test below reads.

`match_q` answers from the index; `scan_q` is the same test done on the row (the tokens
are stored space-separated), for a search that walks a few rows in listing order anyway.
Both give the same answer: the runs below hold only characters that the SQLite tokenizer
also keeps inside a token (・, ゠ and the voiced-sound marks split a run, as a space does),
and PostgreSQL takes the stored tokens as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from sasaeai.lib.readings import has_kanji, reading
from sasaeai.lib.text import normalize

from .search_synonyms import synonyms

__all__ = [
    "activity_readings",
    "alternatives",
    "held_sets",
    "match_estimate",
    "match_join",
    "match_q",
    "normalize",
    "query_tokens",
    "reading_of",
    "scan_q",
    "title_of",
    "title_tokens",
    "tokens_for",
    "tokens_test",
]

# Runs of Japanese script (kana, kanji, the long-vowel mark) and runs of Latin letters/digits.
# Left out of the kana block: the voiced-sound marks U+3099-U+309C, ゠ (U+30A0) and ・ (U+30FB),
# which are not letters and which FTS5's unicode61 tokenizer treats as separators.
_RUNS = re.compile(
    r"(?P<cjk>[\u3040-\u3098\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+)|(?P<word>[0-9a-z]+)"
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


# SQLite keeps its word index (an external-content FTS5 table, made in migration 0002) up to
# date by these triggers on directory_activity. A migration that makes SQLite rebuild that
# table (adding a column with a default does) drops them: it must run SQLITE_TRIGGERS again.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS directory_activity_fts_insert AFTER INSERT
        ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS directory_activity_fts_delete AFTER DELETE
        ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(directory_activity_fts, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS directory_activity_fts_update AFTER UPDATE OF search_tokens
        ON directory_activity BEGIN
        INSERT INTO directory_activity_fts(directory_activity_fts, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
        INSERT INTO directory_activity_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens);
    END""",
    "INSERT INTO directory_activity_fts(directory_activity_fts) VALUES ('rebuild')",
]

# Marks the tokens of an activity's name and reading, so that "the words are in the name"
# (the first tier of relevance) is answered from the same index. Normalised text never holds
# katakana (it is folded to hiragana), so no other token can start with it.
TITLE_MARK = "ア"


def tokens_for(
    normalized_text: str, title: str = "", readings: str = "", title_readings: str = ""
) -> str:
    """Index tokens of already-normalised text: every unigram and bigram, each once; then
    the bigrams of its readings (`reading_of`), so that さんぽ finds 散歩; then those of the
    (normalised) name and reading and of the name's readings, marked as TITLE_MARK + token."""
    tokens = _run_tokens(normalized_text, unigrams=True)
    tokens += _run_tokens(readings, unigrams=False)
    title_runs = _run_tokens(title, unigrams=True) + _run_tokens(title_readings, unigrams=False)
    tokens += title_tokens(title_runs)
    return " ".join(dict.fromkeys(tokens))


def reading_of(texts: Iterable[str]) -> str:
    """The normalised readings (hiragana) of the texts that hold kanji, one after another:
    what `tokens_for` indexes besides the text itself (犬の散歩 → いぬのさんぽ)."""
    return normalize(" ".join(reading(text) for text in texts if text and has_kanji(text)))


def activity_readings(
    name: str, kana: str, description: str, kinds: Iterable[str], places: Iterable[str]
) -> tuple[str, str]:
    """What `tokens_for` takes as an activity's readings, and as its name's: those of the
    name (unless its よみがな is typed: that wins), the description, the kinds' and the
    places' names."""
    name_reading = "" if kana.strip() else reading_of([name])
    readings = f"{name_reading} {reading_of([description, *kinds, *places])}".strip()
    return readings, name_reading


def title_of(name: str, kana: str) -> str:
    """The normalised text whose tokens `tokens_for` marks: an activity's name and reading."""
    return normalize(f"{name} {kana}")


def title_tokens(tokens: list[str]) -> list[str]:
    """The tokens that say these tokens are in the name or its reading."""
    return [token if token == OR else TITLE_MARK + token for token in tokens]


# Between two sets of query tokens, either of which may match (`query_tokens`). Never a token
# itself: tokens are runs of letters.
OR = "|"
# At most this many sets of tokens per query (the words, their reading, their synonyms).
MAX_ALTERNATIVES = 8


def query_tokens(query: str, municipality_code: str = "") -> list[str]:
    """Tokens that all must match: a one-character word by itself, longer ones as bigrams.

    Other ways to write the words follow, each a set of tokens after OR, any one of which
    may match instead: the reading of words written in kanji (体操 also finds たいそう) and the
    words with a synonym of the municipality's list in place of one of theirs (麻雀 finds
    マージャン), with its reading too. Kana words need no other set: every text in kanji has
    its reading indexed as well."""
    words = normalize(query)
    ways = [words]
    for word, others in synonyms(municipality_code).items():
        if word in words:
            ways += [words.replace(word, other) for other in others]
    ways += [normalize(reading(way)) for way in ways if has_kanji(way)]
    sets: list[tuple[str, ...]] = []
    for way in ways:
        tokens = tuple(dict.fromkeys(_run_tokens(way, unigrams=False)))
        if tokens and tokens not in sets:
            sets.append(tokens)
    joined: list[str] = []
    for tokens in sets[:MAX_ALTERNATIVES]:
        joined += [OR, *tokens] if joined else list(tokens)
    return joined


def held_sets(tokens: list[str]) -> list[str]:
    """`tokens` (of `query_tokens`) without the sets that no activity holds (all of them
    when none is held), which change no result and would cost a test of each row the words
    are tested on.

    On SQLite only: there a probe of the word index answers in a few hundredths of a
    millisecond (of every tenant: a set another town holds is kept, which is always right).
    PostgreSQL has no cheap probe (its index builds the bitmap of every match first:
    18 ms for the 40,000 rows of たいそう at 100,000 activities), and keeps every set."""
    ways = alternatives(tokens)
    if len(ways) < 2 or connection.vendor != "sqlite":
        return tokens
    probe = "SELECT 1 FROM directory_activity_fts WHERE directory_activity_fts MATCH %s LIMIT 1"
    held = []
    with connection.cursor() as cursor:
        for found in ways:
            cursor.execute(probe, [_fts_query(found)])
            if cursor.fetchone() is not None:
                held.append(found)
    joined: list[str] = []
    for found in held or ways:
        joined += [OR, *found] if joined else found
    return joined


def alternatives(tokens: list[str]) -> list[list[str]]:
    """The sets of tokens that `query_tokens` joined with OR."""
    sets: list[list[str]] = [[]]
    for token in tokens:
        if token == OR:
            sets.append([])
        else:
            sets[-1].append(token)
    return [found for found in sets if found]


def match_q(
    tokens: list[str],
    municipalities: Iterable[int],
    table: str = "directory_activity",
    *,
    lead: bool = True,
) -> Q:
    """A filter for activities of `municipalities` (their ids) whose index holds every token
    (uses the index, never a scan).

    On PostgreSQL each municipality has its own word lists (lexemes `12/さろ`), so that a
    search reads only its own tenant's; SQLite's word index spans every tenant, and the
    municipality of each match is tested.
    lead=False: on SQLite, let another index lead and test each row it finds against the list
    of matches (the unary + is SQLite's documented way to keep a term from leading).
    """
    if connection.vendor == "postgresql":
        query = " | ".join(f"({_tsquery(m, tokens)})" for m in municipalities)
        if not query:
            return Q(pk__in=[])
        sql = f"directory_search_vector({table}.municipality_id, {table}.search_tokens) @@ %s"
        # The SQL names only our own table; the user's words travel as a parameter.
        return Q(RawSQL(f"{sql}::tsquery", [query], output_field=BooleanField()))  # noqa: S611
    tenants = Q(municipality_id__in=list(municipalities))
    fts = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    if not lead:
        sql = f"+{table}.id IN ({fts})"
        return tenants & Q(RawSQL(sql, [_fts_query(tokens)], output_field=BooleanField()))  # noqa: S611
    return tenants & Q(id__in=RawSQL(fts, [_fts_query(tokens)]))  # noqa: S611


def _tsquery(municipality: int, tokens: list[str]) -> str:
    """Every token (of one set or another) in the municipality's own word lists (see
    migration 0009)."""
    ways = [
        " & ".join("'" + f"{municipality}/{t}".replace("'", "''") + "'" for t in found)
        for found in alternatives(tokens)
    ]
    return ways[0] if len(ways) == 1 else " | ".join(f"({way})" for way in ways)


def match_join(found: QuerySet[Any], tokens: list[str], municipality: int) -> QuerySet[Any]:
    """`found.filter(match_q(tokens, [municipality]))`, read from the word index first on
    SQLite.

    `id IN (SELECT rowid …)` makes SQLite collect every match before it looks at the first;
    joined, the index is read in step, so a limited query (a capped count) stops early.
    """
    if connection.vendor != "sqlite":
        return found.filter(match_q(tokens, [municipality]))
    table = found.model._meta.db_table
    return found.extra(  # noqa: S610 - fixed SQL; the words travel as a parameter
        tables=[f"{table}_fts"],
        where=[f"{table}_fts.rowid = {table}.id", f"{table}_fts MATCH %s"],
        params=[_fts_query(tokens)],
    )


def match_estimate(municipality: int, tokens: list[str], limit: int) -> int:
    """How many activities hold every token, up to `limit`, from the word index alone (no
    row read): on PostgreSQL those of the municipality, from its own word lists; on SQLite
    those of every tenant. An upper bound (rows of any status count), cheap enough to
    remember for a while instead of guessing from statistics."""
    params: list[Any]
    if connection.vendor == "postgresql":
        # The count of the index's bitmap scan, before any row is read (migration 0010):
        # 4 ms for 40,000 matches, where counting the rows reads each (30 ms for 10,000).
        sql, params = "SELECT directory_word_matches(%s::tsquery)", [_tsquery(municipality, tokens)]
    else:
        fts = "SELECT 1 FROM directory_activity_fts WHERE directory_activity_fts MATCH %s LIMIT %s"
        sql, params = f"SELECT count(*) FROM ({fts})", [_fts_query(tokens), limit]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()[0]
    return limit if found is None else min(limit, int(found))  # None: the index was not read


def _fts_query(tokens: list[str]) -> str:
    ways = [
        " AND ".join('"' + t.replace('"', '""') + '"' for t in found)
        for found in alternatives(tokens)
    ]
    return ways[0] if len(ways) == 1 else " OR ".join(f"({way})" for way in ways)


def scan_q(tokens: list[str], path: str = "") -> Q:
    """The same filter as `match_q`, tested on each row: for rows already narrowed otherwise.
    `path` leads to the activity from another model (`activity__` from a place)."""
    if not tokens:
        return Q()
    return Q(HoldsTokens(F(f"{path}search_tokens"), tokens))


class HoldsTokens(Func):
    """Does the row's space-separated `search_tokens` hold every token? (`scan_q`)"""

    output_field = BooleanField()

    def __init__(self, column: F, tokens: list[str]) -> None:
        super().__init__(column)
        self.tokens = list(tokens)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        column, column_params = compiler.compile(self.source_expressions[0])
        if column_params:
            raise ValueError("HoldsTokens tests a column")
        return tokens_test(column, self.tokens)


def tokens_test(column: str, tokens: list[str]) -> tuple[str, list[str]]:
    """SQL that tells whether `column` (SQL naming a row's search_tokens) holds every token
    (one or more) of one of the sets that OR separates."""
    ways = alternatives(tokens)
    if len(ways) == 1:
        return _set_test(column, ways[0])
    tests = [_set_test(column, found) for found in ways]
    sql = " OR ".join(f"({test})" for test, _params in tests)
    return f"({sql})", [param for _test, params in tests for param in params]


def _set_test(column: str, tokens: list[str]) -> tuple[str, list[str]]:
    params = [f" {t} " for t in tokens]
    if connection.vendor == "postgresql":
        # One condition, not one per token: PostgreSQL multiplies the guesses for separate
        # LIKEs (54 rows expected of 5,154) and would then sort every row of the
        # municipality rather than walk the listing index to the first matches (394 ms
        # instead of 7). Inside it, the tokens are tested one after another, stopping at
        # the first missing: LEAST() searched a row for every token, which doubled the
        # cost of a walk (30 ms, not 15, for 4,200 rows; reading them is 10).
        # And a number compared with 0, not a CASE of comparisons (CASE WHEN … THEN strpos()
        # > 0 ELSE FALSE END), which PostgreSQL ran 1.5 to 2 times slower: 13.0 against 8.7 ms
        # for an area's 4,248 rows, 9.3 against 4.4 with a weekday to test as well.
        tested = f"strpos(' ' || {column} || ' ', %s)"
        if len(tokens) == 1:
            return f"{tested} > 0", params
        earlier = " AND ".join([f"{tested} > 0"] * (len(tokens) - 1))
        return f"(CASE WHEN {earlier} THEN {tested} ELSE 0 END) > 0", params
    # instr() compares bytes; LIKE '% t %' matched a pattern at every character (folding
    # ASCII case too), and took 10 µs on a row of 400 tokens where instr() takes 7. Tokens
    # are normalised (lower case), so the two agree; words travel as parameters.
    each = [f"instr(' ' || {column} || ' ', %s) > 0"] * len(tokens)
    return f"({' AND '.join(each)})", params
