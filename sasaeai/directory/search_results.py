"""A resident's search results as the result pages read them: `public_search` and `Listing`.

`public_search` returns the matching activities in search order (search_query.py) as a
`Listing`, a sequence of `values()` rows that stays cheap to page through at 100,000
activities in one municipality: its count stops at COUNT_LIMIT (COUNT_LIMIT + 1 says "more
than COUNT_LIMIT"), and a slice (a page) asks the search's `Plan` (search_plan.py) for the
ids of its rows, then fetches only those rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from sasaeai.areas.models import Area
from sasaeai.lib.prepared import PreparedIn

from .models import Activity
from .search_plan import Plan
from .search_query import Search

__all__ = ["Listing", "public_search"]


def _rows_of(fields: tuple[str, ...]) -> PreparedIn[tuple[Any, ...]]:
    """The query of a page's rows by their ids, its SQL written once per length (prepared.py):
    the ORM's writing it cost more than the database's answering it."""
    prepared = _ROWS.get(fields)
    if prepared is None:
        prepared = _ROWS[fields] = PreparedIn(
            lambda ids: Activity.objects.filter(pk__in=ids).values_list("pk", *fields)
        )
    return prepared


_ROWS: dict[tuple[str, ...], PreparedIn[tuple[Any, ...]]] = {}


def public_search(municipality: Area, data: dict[str, Any], fields: Sequence[str]) -> Listing:
    """Published public activities of a municipality matching a validated SearchForm, as
    `values(*fields)` rows in search order."""
    return Listing(Search.from_data(municipality, data), tuple(fields))


class Listing:
    """A search's results as a Paginator reads them: `count()` (no further than
    COUNT_LIMIT + 1) and slices, each a list of `values(*fields)` rows in search order. A
    slice finds its ids with `Plan.page_ids`, then fetches those rows in one query: the
    ordered query of every result is never built, which cost a page more than its count."""

    def __init__(self, search: Search, fields: tuple[str, ...]) -> None:
        self.plan, self.fields = Plan(search), fields

    def count(self) -> int:
        return self.plan.total

    def __len__(self) -> int:
        return self.plan.total

    @overload
    def __getitem__(self, k: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, k: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, k: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(k, int):
            at = k + len(self) if k < 0 else k
            return self[at : at + 1][0]  # IndexError past the end, as a list gives
        start, stop, step = k.indices(len(self))
        if step != 1:
            raise ValueError("a search's results are read in slices without a step")
        if stop <= start:
            return []
        ids = self.plan.page_ids(start, stop)
        # Put in search order here: in SQL, the order would need each row's relevance and
        # distance again.
        fields = self.fields
        rows = _rows_of(fields)(ids)
        found = {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self[0 : len(self)])
