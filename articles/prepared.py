"""Queries whose SQL the ORM writes once per process, run on each request with that request's values.

Django builds and compiles a queryset's SQL again on every evaluation: for the pages' queries (the
visibility rule, a few joins or subqueries, twenty columns) 0.5 to 1.8 ms of CPU each, several times
what PostgreSQL takes to answer them. Their text depends only on the language; what changes from
request to request is the time the visibility rule compares with (and moments derived from it, such
as "24 hours ago") and a few values such as a story's id.

`PreparedQuery(build, **examples)` takes `build(language, now, **values)`, a function returning the
queryset, and two example values for each of `values`. On first use in a language it builds and
compiles the queryset twice, at two different moments with the two sets of examples: a parameter
that differs is either one of the values (it equals that value's examples) or the time plus a fixed
offset; everything else must be identical, or it refuses (`NotPreparable`), so a query that is not
of this kind is never cached. Each run binds the request's values into those places and runs the
same SQL as a raw queryset of the queryset's model: each row an instance with the selected columns
(the others deferred) and the annotations as attributes. Related objects are not joined
(`select_related` has no raw equivalent): read them as JSON with `articles.story_lists`.

A list value goes in as one array parameter, `field__any=values` (`field = ANY(%s)`), so the SQL
does not change with its length.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import models
from django.utils import timezone

# Two moments no request has: only their offsets from each other matter.
_FIRST = datetime(2001, 1, 1, tzinfo=UTC)
_SECOND = _FIRST + timedelta(days=1234, seconds=5678)


class NotPreparable(Exception):
    """The queryset's SQL or parameters change other than by the values given to it."""


class AnyOf(models.Lookup):
    """`field__any=[…]`: `field = ANY(%s)`, the list sent as one array parameter."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # foreign keys keep their own list of lookups


class PreparedQuery:
    def __init__(self, build: Callable[..., models.QuerySet], **examples: tuple):
        self.build = build
        self.examples = examples
        self._prepared: dict[str, tuple] = {}

    def _prepare(self, language: str):
        first = self.build(language, _FIRST, **{name: pair[0] for name, pair in self.examples.items()})
        first_sql, first_params = first.query.sql_with_params()
        second = self.build(language, _SECOND, **{name: pair[1] for name, pair in self.examples.items()})
        second_sql, second_params = second.query.sql_with_params()
        if first_sql != second_sql or len(first_params) != len(second_params):
            raise NotPreparable("the SQL itself changes with the values")
        bindings = {}
        for position, (a, b) in enumerate(zip(first_params, second_params, strict=True)):
            if a == b:
                continue
            named = [name for name, pair in self.examples.items() if (a, b) == (pair[0], pair[1])]
            if named:
                bindings[position] = named[0]
            elif isinstance(a, datetime) and isinstance(b, datetime) and a - _FIRST == b - _SECOND:
                bindings[position] = a - _FIRST
            else:
                raise NotPreparable(f"parameter {position} is neither a value given nor the time plus an offset")
        return first.model, first_sql, list(first_params), bindings

    def run(self, language: str, now: datetime | None = None, **values) -> list[models.Model]:
        """The queryset's rows for `now` (the current time by default) and `values`."""
        if language not in self._prepared:
            self._prepared[language] = self._prepare(language)
        model, sql, params, bindings = self._prepared[language]
        now = now or timezone.now()
        bound = list(params)
        for position, binding in bindings.items():
            bound[position] = values[binding] if isinstance(binding, str) else now + binding
        return list(model._base_manager.raw(sql, bound))
