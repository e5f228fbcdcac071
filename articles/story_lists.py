"""The lists a story page shows beside the story (bylines, cited sources, tags, corrections), read
in the story's own query.

Fetched the usual way each list is a query of its own (a prefetch), and Django builds and compiles
the SQL of every query again on each request: about 0.9 ms of CPU a list, while PostgreSQL answers
it in a twentieth of that. Here each list is a correlated subquery that returns its rows as an array
of JSON arrays. Its SQL has no parameters (it depends on the schema alone), so the ORM writes it
once per process; the rows become model instances through `Model.from_db`, as a query's rows do,
with only the listed fields loaded: reading another one would cost a query (the query-count tests
would catch it).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import F, Func, JSONField
from django.db.models.expressions import RawSQL

from .models import Article, Attribution, Byline, Correction, Tag

# Converted from the JSON text PostgreSQL writes them in; the other types arrive as they are.
_PARSED = (models.DateTimeField, models.DateField, models.TimeField, models.DecimalField, models.UUIDField)


def _story_id() -> RawSQL:
    """The id of the story row the subquery belongs to (the story query's own table)."""
    quote = connection.ops.quote_name
    return RawSQL(f"{quote(Article._meta.db_table)}.{quote(Article._meta.pk.column)}", ())  # noqa: S611 (names from the schema)


@dataclass(frozen=True)
class StoryList:
    """One list: rows of `model` whose `link` is the story, in `order`, each with `fields`; with
    `related`, each row's `related` object too (a byline's author), with `related_fields`."""

    name: str
    model: type[models.Model]
    link: str
    order: tuple[str, ...]
    fields: tuple[str, ...]
    related: str = ""
    related_fields: tuple[str, ...] = field(default=())

    @property
    def annotation(self) -> str:
        return f"{self.name}_rows"

    @cached_property
    def _columns(self) -> tuple[list[models.Field], list[models.Field]]:
        """This model's fields and the related model's, each in the model's own field order (the
        order `Model.from_db` takes values in)."""
        related = self.model._meta.get_field(self.related).related_model if self.related else None
        return _in_model_order(self.model, self.fields), _in_model_order(related, self.related_fields)

    @cached_property
    def sql(self) -> RawSQL:
        """The subquery, compiled on first use: the same text for every story, in every language."""
        own, related = self._columns
        names = [f.attname for f in own] + [f"{self.related}__{f.attname}" for f in related]
        row = Func(*(F(name) for name in names), function="JSON_BUILD_ARRAY", output_field=JSONField())
        # The base manager: no translated-field rewriting, which would depend on the language.
        rows = self.model._base_manager.filter(**{self.link: _story_id()}).order_by(*self.order).values_list(row)
        sql, params = rows.query.sql_with_params()
        return RawSQL(f"ARRAY({sql})", params)  # noqa: S611 (SQL the ORM wrote, with its own parameters)

    def objects(self, rows: list[list]) -> list[models.Model]:
        """Model instances from the rows the subquery returned."""
        own, related = self._columns
        found = []
        for row in rows:
            instance = _from_db(self.model, own, row[: len(own)])
            if related:
                setattr(instance, self.related, _from_db(related[0].model, related, row[len(own) :]))
            found.append(instance)
        return found


def _in_model_order(model, names: tuple[str, ...]) -> list[models.Field]:
    if model is None:
        return []
    wanted = {model._meta.get_field(name) for name in names}
    return [f for f in model._meta.concrete_fields if f in wanted]


def _from_db(model: type[models.Model], fields: list[models.Field], values: list) -> models.Model:
    values = [
        f.to_python(v) if v is not None and isinstance(f, _PARSED) else v for f, v in zip(fields, values, strict=True)
    ]
    return model.from_db(DEFAULT_DB_ALIAS, {f.attname for f in fields}, values)


def _translated(name: str) -> tuple[str, ...]:
    """A translated field's columns: modeltranslation reads `name` from `name_ar` or `name_en`."""
    return (f"{name}_ar", f"{name}_en")


LISTS = (
    StoryList(
        "bylines",
        Byline,
        link="article",
        order=("position", "id"),
        fields=("id", "position", "author_id"),
        related="author",
        related_fields=("id", "username", "first_name", "last_name", "slug", *_translated("display_name")),
    ),
    StoryList(
        "attributions",
        Attribution,
        link="article",
        order=("position", "id"),
        fields=("id", "source_id", "is_anonymous", "position", *_translated("description")),
        related="source",
        related_fields=("id", "slug", *_translated("name")),
    ),
    # A story's tags in the order they were given.
    StoryList(
        "tags",
        Tag,
        link="tagged_articles__content_object",
        order=("tagged_articles__id",),
        fields=("id", "slug", "name", *_translated("name")),
    ),
    StoryList(
        "corrections",
        Correction,
        link="article",
        order=("created_at", "id"),
        fields=("id", "created_at", *_translated("text")),
    ),
)


def with_lists(queryset):
    """`queryset` (of stories) with every list read in the same query; see `lists()`."""
    return queryset.annotate(**{spec.annotation: spec.sql for spec in LISTS})


def lists(article) -> dict[str, list]:
    """{"bylines": [...], "attributions": [...], "tags": [...], "corrections": [...]} for a story
    read through `with_lists()`."""
    return {spec.name: spec.objects(getattr(article, spec.annotation)) for spec in LISTS}
