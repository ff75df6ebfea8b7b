"""The search's queries written once per shape (lib/prepared.py), run with each search's values.

Writing the SQL of a search's count and of its page's ids (the ORM's `as_sql`) cost a search
page a fifth of its time, more than the database's answering them (issue 29). What shapes
that SQL is not the words or the filters' values but which filters there are, how many areas,
where OR joins the tokens, which words need their case folded (`Search.shape`), and the
plan's choices (the tier, words tested row by row or from the word index, the limit). So a
`Plan`'s query is built once per shape from a search of stand-in values
(`Search.standing_in`) and run with the search's own values (`Search.values`): PreparedAny
checks, writing it twice with other stand-ins, that nothing else of the values shaped it.
Near a point the SQL holds the point and radius as computed numbers: those are written each
time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from django.db import connection

from sasaeai.lib.prepared import PreparedAny

from .models import ActivityQuerySet
from .search import match_join, match_q, scan_q
from .search_query import LISTING, Search


@dataclass(frozen=True, eq=False)
class Tier:
    """The rows a query of a plan starts from: the scope of the search `parent` (the one the
    resident typed), all of it (0), or its first tier of relevance (1: the words in the name
    or reading) or the rest (2). The queryset is built only where the ORM writes the SQL."""

    parent: Search
    tier: int = 0
    kind_leads: bool = False

    @cached_property
    def found(self) -> ActivityQuerySet:
        found = self.parent.scope(kind_leads=self.kind_leads)
        if self.tier:
            relevant = self.parent.relevant()
            found = found.filter(relevant if self.tier == 1 else ~relevant)
        return found


def matching(search: Search, found: ActivityQuerySet, scanned: bool) -> Any:
    """`found` holding the words: tested row by row while they are common (`scanned`), else
    from the word index, joined so that a limited query stops early; with an area or kind to
    lead, SQLite tests its rows against the list of matches instead."""
    tokens = list(search.tokens)
    if scanned:
        # Common words: from the word index, each of thousands of matches would be a read
        # of its row; tested on the rows themselves, a count reads the listing only until
        # it has COUNT_LIMIT + 1 (about 400 rows when every other one matches).
        return found.filter(scan_q(tokens))
    if search.narrow:
        return found.filter(match_q(tokens, [search.municipality.pk], lead=False))
    return match_join(found, tokens, search.municipality.pk)


def counting(search: Search, found: ActivityQuerySet, scanned: bool, limit: int) -> Any:
    """The first `limit` rows of `found` holding the words, to count (not near a point)."""
    if search.tokens:
        found = matching(search, found, scanned)
    # Words tested row by row: read the rows along the listing index (in its order),
    # never the table from its start, until `limit` hold them.
    # (An area or a rarer kind leads instead: its index, not the listing's.)
    order = LISTING if scanned and not search.narrow else ()
    return found.order_by(*order).values("pk")[:limit]


def ordered_ids(search: Search, found: ActivityQuerySet, scanned: bool, words: bool,
                skip: int, take: int) -> Any:  # fmt: skip
    """The ids of rows [skip:skip+take] of `found` in listing order, holding the words if
    `words`."""
    if words:
        found = matching(search, found, scanned)
    return found.order_by(*LISTING).values_list("pk", flat=True)[skip : skip + take]


def walked(found: ActivityQuerySet, limit: int) -> Any:
    """The first `limit` rows of `found` along the listing index, its columns alone (for a
    walk that tests each for the words: `Plan._walk`)."""
    return found.order_by(*LISTING).values_list(*LISTING)[:limit]


def prepared(tier: Tier, derived: tuple[str, ...], scanned: bool,
             query: tuple[Any, ...]) -> PreparedAny[Any] | None:  # fmt: skip
    """A plan's query on `tier`, prepared for the shape of its search; None where that shape
    cannot be told (near a point). `derived`: how the plan's search was made from the tier's
    (`Plan.derived`); `scanned`: its words tested row by row; `query`: ("count", limit),
    ("ids", skip, take, words) or ("walk", limit)."""
    shape = tier.parent.shape()
    if shape is None:
        return None
    key = (connection.vendor, shape, derived, tier.tier, tier.kind_leads, scanned, query)
    if key in _PREPARED:
        return _PREPARED[key]
    if len(_PREPARED) >= 1000:
        _PREPARED.clear()
    build = partial(_query, tier.parent, derived, tier.tier, tier.kind_leads, scanned, query)
    found = PreparedAny(build, tier.parent.kinds())
    try:
        found.prepare()
    except ValueError:
        # Its SQL hangs on a value in a way `shape()` does not tell: written each time.
        _PREPARED[key] = None
        return None
    _PREPARED[key] = found
    return found


def _query(parent: Search, derived: tuple[str, ...], tier: int, kind_leads: bool,
           scanned: bool, query: tuple[Any, ...], *values: Any) -> Any:  # fmt: skip
    """A plan's query, built for `parent`'s shape with these values (stand-ins)."""
    search = standing_in = parent.standing_in(values)
    for step in derived:
        search = search.titled() if step == "titled" else search.first_set()
    found = Tier(standing_in, tier, kind_leads).found
    if query[0] == "count":
        return counting(search, found, scanned, query[1])
    if query[0] == "walk":
        return walked(found, query[1])
    _what, skip, take, words = query
    return ordered_ids(search, found, scanned, words, skip, take)


# The plans' queries by what shapes their SQL (`prepared`).
_PREPARED: dict[tuple[Any, ...], PreparedAny[Any] | None] = {}
