"""Queries whose SQL the ORM writes once, then runs with each request's values.

A public page asks the same few questions on every request with other values (this activity,
this municipality). Writing their SQL (the compiler's `as_sql`) cost the activity page more
than running them: a third of its time (issue 29). A `Prepared` query is built once per
database from a queryset with stand-in values; each call sends that SQL with its own values in
their places, and builds rows as the queryset would (model instances with their
`select_related` objects, or the tuples of `values_list`), with the database's converters.

Only for querysets whose SQL does not depend on the values (an equality or `IN` of one value,
not a list whose length varies): each stand-in must appear once among the parameters.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import MULTI

# Stand-ins no key or count reaches; a query's Nth value is _STAND_IN + N.
_STAND_IN = 0x7EDC_BA98_7654_0000


class _Compiled:
    """One database's SQL of the query and what reads its rows."""

    def __init__(self, queryset: QuerySet[Any], arity: int) -> None:
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [self._slot(_STAND_IN + n) for n in range(arity)]
        self.compiler = compiler
        self.models = issubclass(queryset._iterable_class, ModelIterable)
        if self.models:
            info = compiler.klass_info
            assert info is not None
            fields = info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.names = [f[0].target.attname for f in compiler.select[self.start : self.end]]
            self.from_db = partial(info["model"].from_db, fetch_mode=queryset._fetch_mode)  # type: ignore[attr-defined]
            self.related = get_related_populators(info, compiler.select, db, queryset._fetch_mode)  # type: ignore[attr-defined]

    def _slot(self, stand_in: int) -> int:
        """Where the stand-in is among the parameters (as text where it meets a text column)."""
        found = [n for n, param in enumerate(self.params) if param in (stand_in, str(stand_in))]
        if len(found) != 1:
            raise ValueError("each value of a prepared query must be one parameter of its SQL")
        return found[0]

    def rows(self, db: str, values: tuple[Any, ...]) -> Iterator[Any]:
        params: list[Any] = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        sql = self.sql
        compiler: SQLCompiler = copy.copy(self.compiler)  # threads share the original
        compiler.connection = connections[db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign,assignment]
        found = compiler.results_iter(compiler.execute_sql(MULTI))
        if not self.models:
            yield from found
            return
        for row in found:
            obj = self.from_db(db, self.names, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, obj)
            yield obj


class Prepared[T]:
    """`build(*values)` returns the queryset; calling this returns its rows for `values`."""

    def __init__(self, build: Callable[..., QuerySet[Any, T]], arity: int) -> None:
        self.build = build
        self.arity = arity
        self.compiled: dict[str, _Compiled] = {}

    def __call__(self, *values: Any) -> list[T]:
        queryset_model = self._model()
        db = router.db_for_read(queryset_model)
        compiled = self.compiled.get(db)
        if compiled is None:
            stand_ins = [_STAND_IN + n for n in range(self.arity)]
            compiled = self.compiled[db] = _Compiled(self.build(*stand_ins).using(db), self.arity)
        return list(compiled.rows(db, values))

    def _model(self) -> type[Model]:
        model = getattr(self, "_model_class", None)
        if model is None:
            stand_ins = [_STAND_IN + n for n in range(self.arity)]
            model = self._model_class = self.build(*stand_ins).model
        return model


class PreparedIn[T]:
    """A query of a list of keys (`build(keys)`, an `IN`): prepared once per length of the
    list, since its SQL has a placeholder per key (a page lists at most a few dozen)."""

    def __init__(self, build: Callable[[list[Any]], QuerySet[Any, T]], longest: int = 100) -> None:
        self.build = build
        self.longest = longest
        self.by_length: dict[int, Prepared[T]] = {}

    def __call__(self, keys: list[Any]) -> list[T]:
        keys = list(dict.fromkeys(keys))  # as `IN` does: each key once
        if not keys:
            return []
        if len(keys) > self.longest:
            return list(self.build(keys))
        prepared = self.by_length.get(len(keys))
        if prepared is None:
            build = self.build
            prepared = Prepared(lambda *values: build(list(values)), arity=len(keys))
            self.by_length[len(keys)] = prepared
        return prepared(*keys)
