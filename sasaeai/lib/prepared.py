"""Queries whose SQL the ORM writes once, then runs with each request's values.

A public page asks the same few questions on every request with other values (this activity,
this municipality). Writing their SQL (the compiler's `as_sql`) cost the activity page more
than running them: a third of its time (issue 29). A `Prepared` query is built once per
database from a queryset with stand-in values; each call sends that SQL with its own values in
their places, and builds rows as the queryset would (model instances with their
`select_related` objects, or the tuples of `values_list`), with the database's converters.

Only for querysets whose SQL does not depend on the values (an equality or `IN` of one value,
not a list whose length varies): each stand-in must appear once among the parameters.
`PreparedIn` keys a list of keys by its length; `PreparedAny` takes values of any kind
(text, dates, times) wherever they stand (twice, inside a LIKE pattern or a word-index query),
and checks that the SQL does not hang on them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators
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
        self.flat = issubclass(queryset._iterable_class, FlatValuesListIterable)
        self.annotations: dict[str, int] = {}
        self.converters: dict[int, Any] | None = None
        if self.models:
            info = compiler.klass_info
            assert info is not None
            fields = info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.names = [f[0].target.attname for f in compiler.select[self.start : self.end]]
            self.from_db = partial(info["model"].from_db, fetch_mode=queryset._fetch_mode)  # type: ignore[attr-defined]
            self.related = get_related_populators(info, compiler.select, db, queryset._fetch_mode)  # type: ignore[attr-defined]
            self.annotations = dict(compiler.annotation_col_map or {})

    def _slot(self, stand_in: int) -> int:
        """Where the stand-in is among the parameters (as text where it meets a text column)."""
        found = [n for n, param in enumerate(self.params) if param in (stand_in, str(stand_in))]
        if len(found) != 1:
            raise ValueError("each value of a prepared query must be one parameter of its SQL")
        return found[0]

    def params_for(self, db: str, values: tuple[Any, ...]) -> list[Any]:
        params: list[Any] = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        return params

    def rows(self, db: str, values: tuple[Any, ...]) -> Iterator[Any]:
        params = self.params_for(db, values)
        sql = self.sql
        compiler: SQLCompiler = copy.copy(self.compiler)  # threads share the original
        compiler.connection = connections[db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign,assignment]
        found = self._results(compiler, compiler.execute_sql(MULTI))
        if not self.models:
            if self.flat:
                yield from (row[0] for row in found)
            else:
                yield from found
            return
        annotations = self.annotations.items()
        for row in found:
            obj = self.from_db(db, self.names, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, obj)
            for name, at in annotations:
                setattr(obj, name, row[at])
            yield obj

    def _results(self, compiler: SQLCompiler, results: Any) -> Iterator[Any]:
        """SQLCompiler.results_iter, with the converters found once (finding them walked
        every column's expression on every call)."""
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if self.converters is None:
            self.converters = compiler.get_converters(fields)
        rows: Iterator[Any] = chain.from_iterable(results)
        if self.converters:
            rows = compiler.apply_converters(rows, self.converters)
        if compiler.has_composite_fields(fields):
            rows = compiler.composite_fields_to_tuples(rows, fields)
        return rows

    def count(self, db: str, values: tuple[Any, ...]) -> int:
        """How many rows the query gives, counted by the database (as QuerySet.count())."""
        with connections[db].cursor() as cursor:
            sql = f"SELECT COUNT(*) FROM ({self.sql}) subquery"  # noqa: S608 - the ORM's own SQL
            cursor.execute(sql, self.params_for(db, values))
            return int(cursor.fetchone()[0])


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


# PreparedAny's stand-ins of text and of times. A text stand-in holds the characters that the
# ways of writing a value into a parameter escape (LIKE, a word-index query, a quoted string),
# so that how it was written can be read back from the parameter; private-use characters
# mark where it starts and ends (no normalisation touches them).
_SPECIALS = "\"'%_\\"
_OPEN, _CLOSE = "\ue000", "\ue001"


def _stand_in_of(kind: type, n: int, second: bool) -> Any:
    if kind is int:
        return _STAND_IN + (0x1000 if second else 0) + n
    if kind is str:
        return f"{_OPEN}{'b' if second else 'a'}{n}{_SPECIALS}{_CLOSE}"
    if kind is dt.datetime:
        return dt.datetime(1901 + n, 2, 3, 4, 5, 6, 7009 if second else 7008, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1901 + n, 3 if second else 2, 3)
    raise TypeError(f"no stand-in for {kind}")


def _escapes(ops: Any) -> dict[str, Callable[[str], str]]:
    """How a value is written inside a text parameter: as it is (a number as its digits), as
    a LIKE pattern (Django's contains, startswith), inside double quotes (an FTS5 query) or
    single quotes (a tsquery)."""
    return {
        "plain": str,
        "like": ops.prep_for_like_query,
        "double": lambda value: value.replace('"', '""'),
        "single": lambda value: value.replace("'", "''"),
    }


def _refuse_hidden(text: str) -> None:
    if _OPEN in text or _CLOSE in text:
        raise ValueError("a value of a prepared query was written into its SQL some other way")


type _Write = Callable[[tuple[Any, ...], Any], Any]


class _Written(_Compiled):
    """PreparedAny's compiled query: each parameter a constant, one of the values (a time as
    the database writes it), or text with values written into it."""

    def __init__(
        self, queryset: QuerySet[Any], again: QuerySet[Any], kinds: tuple[type, ...]
    ) -> None:
        super().__init__(queryset, 0)
        ops = connections[queryset.db].ops
        first = _learn(self.params, [_stand_in_of(k, n, False) for n, k in enumerate(kinds)], ops)
        sql, params = again.query.get_compiler(using=queryset.db).as_sql()
        second = _learn(list(params), [_stand_in_of(k, n, True) for n, k in enumerate(kinds)], ops)
        # Written with other stand-ins, the SQL and every constant must be the same: else a
        # value reached the SQL in some way not read here (its shape, or a number worked out).
        if sql != self.sql or [shape for shape, _ in first] != [shape for shape, _ in second]:
            raise ValueError("the SQL of a prepared query must not depend on its values")
        self.writes = [write for _shape, write in first]

    def params_for(self, db: str, values: tuple[Any, ...]) -> list[Any]:
        ops = connections[db].ops
        return [
            constant if write is None else write(values, ops)
            for constant, write in zip(self.params, self.writes, strict=True)
        ]


def _learn(params: list[Any], stand_ins: list[Any], ops: Any) -> list[tuple[Any, _Write | None]]:
    """Each parameter's shape (to compare two compilations) and how to write it from the
    values (None: a constant)."""
    escapes = _escapes(ops)
    forms: dict[str, tuple[int, str]] = {}
    for n, stand_in in enumerate(stand_ins):
        if isinstance(stand_in, str):
            forms.update({escape(stand_in): (n, name) for name, escape in escapes.items()})
        elif isinstance(stand_in, int):
            forms[str(stand_in)] = (n, "plain")
    within = re.compile("(" + "|".join(re.escape(form) for form in forms) + ")")
    found: list[tuple[Any, _Write | None]] = []
    for param in params:
        whole = _whole(param, stand_ins, ops)
        if whole is not None:
            found.append((("value", whole[0]), partial(_value, *whole)))
            continue
        pieces = within.split(param) if isinstance(param, str) and forms else [param]
        if len(pieces) == 1:
            if isinstance(param, str):
                _refuse_hidden(param)
            found.append((("constant", param), None))
            continue
        # Text with values in it: literal, value, literal, …, literal.
        parts: list[Any] = []
        for at, piece in enumerate(pieces):
            if at % 2 == 0:
                _refuse_hidden(piece)
                parts.append(piece)
            else:
                n, name = forms[piece]
                parts.append((n, name, escapes[name]))
        shape = tuple(p if isinstance(p, str) else p[:2] for p in parts)
        found.append((("text", shape), partial(_text, tuple(parts))))
    return found


def _whole(param: Any, stand_ins: list[Any], ops: Any) -> tuple[int, Callable[..., Any]] | None:
    """Is the parameter one of the values, whole (a time as the database writes it)?"""
    for n, stand_in in enumerate(stand_ins):
        if isinstance(stand_in, dt.datetime):
            if param == stand_in or param == ops.adapt_datetimefield_value(stand_in):
                return n, _as_datetime
        elif isinstance(stand_in, dt.date):
            if param == stand_in or param == ops.adapt_datefield_value(stand_in):
                return n, _as_date
        elif type(param) in (int, str) and (param == stand_in or param == str(stand_in)):
            return n, _as_it_is
        elif isinstance(param, int) and not isinstance(param, bool) and param == stand_in:
            # A number the backend typed (psycopg's Int4 for an expression's value): kept so.
            return n, partial(_as_typed, type(param))
    return None


def _as_typed(kind: type, value: Any, ops: Any) -> Any:
    return kind(value)


def _as_it_is(value: Any, ops: Any) -> Any:
    return value


def _as_datetime(value: Any, ops: Any) -> Any:
    return ops.adapt_datetimefield_value(value)


def _as_date(value: Any, ops: Any) -> Any:
    return ops.adapt_datefield_value(value)


def _value(n: int, convert: Callable[[Any, Any], Any], values: tuple[Any, ...], ops: Any) -> Any:
    return convert(values[n], ops)


def _text(parts: tuple[Any, ...], values: tuple[Any, ...], ops: Any) -> str:
    return "".join(p if isinstance(p, str) else p[2](str(values[p[0]])) for p in parts)


class PreparedAny[T]:
    """A `Prepared` for values of any kind (`kinds`: int, str, datetime.date or
    datetime.datetime, one per value), each anywhere in the SQL: more than once, a time as
    the database writes it, or text written into a parameter (a LIKE pattern of `contains` or
    `startswith`, a word-index query: escaped as it was there).

    The query is compiled twice, with two sets of stand-ins: its SQL and every other
    parameter must come out the same, else it raises ValueError (its SQL depends on the
    values: key such queries by what shapes them, as PreparedIn keys by length). Calling it
    returns the rows; `count(*values)` counts them in the database instead."""

    def __init__(self, build: Callable[..., QuerySet[Any, T]], kinds: tuple[type, ...]) -> None:
        self.build = build
        self.kinds = tuple(kinds)
        self.compiled: dict[str, _Written] = {}
        self.empty: set[str] = set()
        self.model: type[Model] | None = None

    def _compiled(self) -> tuple[str, _Written | None]:
        """The database read from and its compiled query; None for a query that finds
        nothing whatever the values (Django's EmptyResultSet: an empty `IN`, a slice [:0])."""
        if self.model is None:
            self.model = self._queryset(False).model
        db = router.db_for_read(self.model)
        if db in self.empty:
            return db, None
        compiled = self.compiled.get(db)
        if compiled is None:
            first, again = self._queryset(False).using(db), self._queryset(True).using(db)
            try:
                compiled = self.compiled[db] = _Written(first, again, self.kinds)
            except EmptyResultSet:
                self.empty.add(db)
        return db, compiled

    def _queryset(self, second: bool) -> QuerySet[Any, T]:
        return self.build(*(_stand_in_of(k, n, second) for n, k in enumerate(self.kinds)))

    def __call__(self, *values: Any) -> list[T]:
        db, compiled = self._compiled()
        return [] if compiled is None else list(compiled.rows(db, values))

    def sql_with_params(self, *values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters for `values`, to be part of a statement of one's own."""
        db, compiled = self._compiled()
        if compiled is None:
            raise EmptyResultSet
        return compiled.sql, compiled.params_for(db, values)

    def prepare(self) -> None:
        """Write the SQL now (ValueError if it cannot be prepared)."""
        self._compiled()

    def count(self, *values: Any) -> int:
        db, compiled = self._compiled()
        return 0 if compiled is None else compiled.count(db, values)


def keep_prefetched(
    instance: Model, name: str, rows: list[Any], base: QuerySet[Any] | None = None
) -> None:
    """Keep `rows` as `instance.<name>.all()`, as prefetch_related("name") (or a Prefetch of
    `base`) would have: for related rows read by a prepared query."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset() if base is None else manager._apply_rel_filters(base._chain())  # type: ignore[attr-defined]
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset
    # And each row's own link back, as the prefetch sets it.
    field = getattr(manager, "field", None)
    if field is not None and field.many_to_one:
        for row in rows:
            field.set_cached_value(row, instance)
