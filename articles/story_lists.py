"""The lists a story page shows beside the story (bylines, cited sources, tags, corrections, the
lead picture's renditions, the site's sections), and the rows it is joined to (its section, lead
picture, credit), read in the story's own query.

Fetched the usual way each list is a query of its own (a prefetch), and Django builds and compiles
the SQL of every query again on each request: about 0.9 ms of CPU a list, while PostgreSQL answers
it in a twentieth of that. Here each list is a subquery that returns its rows as an array of JSON
arrays, correlated with the story row it is read with. Its SQL has no parameters (it depends on
the schema alone), so the ORM writes it once per process; the rows become model instances through
`Model.from_db`, as a query's rows do, with only the listed fields loaded: reading another one
would cost a query (the query-count tests would catch it).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import F, Func, JSONField
from django.db.models.expressions import RawSQL

from .models import Article, Attribution, Byline, Correction, Image, Rendition, Section, Tag

# Converted from the JSON text PostgreSQL writes them in; the other types arrive as they are.
_PARSED = (models.DateTimeField, models.DateField, models.TimeField, models.DecimalField, models.UUIDField)


def story_column(name: str) -> RawSQL:
    """A column of the story row a subquery is read with (the story query's own table)."""
    quote = connection.ops.quote_name
    column = Article._meta.get_field(name).column
    return RawSQL(f"{quote(Article._meta.db_table)}.{quote(column)}", ())  # noqa: S611 (names from the schema)


@dataclass(frozen=True)
class StoryList:
    """One list: the rows `rows()` selects (a queryset of `model`, ordered, that refers to the story
    with `story_column()`), each with `fields`; with `related`, each row's `related` object too (a
    byline's author), with `related_fields`. With `joins`, the one row is the story's relation of
    that name (see `joined()`), given to the story as `select_related` would."""

    name: str
    model: type[models.Model]
    rows: Callable[[], models.QuerySet]
    fields: tuple[str, ...]
    related: str = ""
    related_fields: tuple[str, ...] = field(default=())
    joins: str = ""

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
        sql, params = self.rows().values_list(row).query.sql_with_params()
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


@functools.cache
def joined(relation: str, fields: tuple[str, ...] = ()) -> StoryList:
    """The row a story's relation names (a foreign key of the story, or another model's one-to-one
    to it), with `fields` (every column by default), as a list of at most one."""
    field = Article._meta.get_field(relation)
    model = field.related_model
    if field.many_to_one:

        def rows():
            return model._base_manager.filter(pk=story_column(relation))
    else:

        def rows():
            return model._base_manager.filter(**{field.field.name: story_column("id")})

    fields = fields or tuple(f.attname for f in model._meta.concrete_fields)
    return StoryList(relation, model, rows, fields, joins=relation)


# Base managers throughout: no translated-field rewriting, which would depend on the language.
BYLINES = StoryList(
    "bylines",
    Byline,
    rows=lambda: Byline._base_manager.filter(article=story_column("id")).order_by("position", "id"),
    fields=("id", "position", "author_id"),
    related="author",
    related_fields=("id", "username", "first_name", "last_name", "slug", *_translated("display_name")),
)
ATTRIBUTIONS = StoryList(
    "attributions",
    Attribution,
    rows=lambda: Attribution._base_manager.filter(article=story_column("id")).order_by("position", "id"),
    fields=("id", "source_id", "is_anonymous", "position", *_translated("description")),
    related="source",
    related_fields=("id", "slug", *_translated("name")),
)
# A story's tags in the order they were attached.
TAGS = StoryList(
    "tags",
    Tag,
    rows=lambda: Tag._base_manager.filter(tagged_articles__content_object=story_column("id")).order_by(
        "tagged_articles__id"
    ),
    fields=("id", "slug", "name", *_translated("name")),
)
CORRECTIONS = StoryList(
    "corrections",
    Correction,
    rows=lambda: Correction._base_manager.filter(article=story_column("id")).order_by("created_at", "id"),
    fields=("id", "created_at", *_translated("text")),
)
# What `articles.images.picture_sources` reads to draw the story's lead picture.
RENDITIONS = StoryList(
    "renditions",
    Rendition,
    rows=lambda: Rendition._base_manager.filter(image=story_column("lead_image")).order_by("id"),
    fields=("id", "image_id", "width", "height", "format", "crop", "focal_key", "file", "size"),
)
# The sections in every page's navigation (the same on every row).
NAV_SECTIONS = StoryList(
    "nav_sections",
    Section,
    rows=lambda: Section._base_manager.filter(parent__isnull=True).order_by("position", "id"),
    fields=("id", "slug", "parent_id", "position", *_translated("name")),
)
# What the story page shows beside the story (its joined rows come first: `story_page_lists()`).
PAGE_LISTS = (BYLINES, ATTRIBUTIONS, TAGS, CORRECTIONS, RENDITIONS, NAV_SECTIONS)
# What a card shows of a story's section and picture (with `RENDITIONS` when it shows the picture).
CARD_SECTION = ("id", "slug", *_translated("name"))
CARD_IMAGE = ("id", "file", "width", "height", "focal_x", "focal_y", *_translated("alt"))


def story_page_lists(joins: list[str]) -> list[StoryList]:
    """The story's section, lead picture and credit (only its public name), the one-to-one rows
    other apps hang on it (`joins`), then PAGE_LISTS."""
    return [
        joined("section"),
        joined("lead_image"),
        joined("credit", ("id", "slug", *_translated("name"))),
        *(joined(relation) for relation in joins),
        *PAGE_LISTS,
    ]


def card_lists(pictures: bool) -> list[StoryList]:
    return [joined("section", CARD_SECTION), joined("lead_image", CARD_IMAGE), *([RENDITIONS] if pictures else [])]


def with_lists(queryset, lists):
    """`queryset` (of stories) with `lists` read in the same query; see `lists()`."""
    return queryset.annotate(**{spec.annotation: spec.sql for spec in lists})


def lists(article, lists) -> dict[str, list]:
    """{"bylines": [...], "attributions": [...], …} for a story read through `with_lists()`. The
    joined rows are given to the story, the lead picture's renditions to the picture, as
    `select_related` and a prefetch would."""
    found = {}
    for spec in lists:
        objects = spec.objects(getattr(article, spec.annotation))
        if spec.joins:
            relation = Article._meta.get_field(spec.joins)
            relation.set_cached_value(article, objects[0] if objects else None)
        elif spec is RENDITIONS:
            give_renditions(article.lead_image, objects)
        else:
            found[spec.name] = objects
    return found


def give_renditions(image: Image | None, renditions: list[Rendition]) -> None:
    """Leave `renditions` where `prefetch_related("renditions")` leaves them, so that
    `image.renditions.all()` reads them without a query."""
    if image is None:
        return
    queryset = image.renditions.get_queryset()
    queryset._result_cache, queryset._prefetch_done = renditions, True
    image._prefetched_objects_cache = {**getattr(image, "_prefetched_objects_cache", {}), "renditions": queryset}
