"""The story list's rows: what each reads, and their order while a search is shown."""

from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Prefetch

from ..models import Byline
from .validation import ValidatedChangeList

# What no column of the list shows: the story's text and its search document are most of a row's
# bytes (a few kilobytes each), fifty times a page.
UNLISTED_FIELDS = (
    "body",
    "body_ar",
    "body_en",
    "deck",
    "deck_ar",
    "deck_en",
    "summary",
    "summary_ar",
    "summary_en",
    "update_note",
    "search_document",
)


class StoryChangeList(ValidatedChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .select_related(None)
            .select_related("section")
            .defer(*UNLISTED_FIELDS)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_ordering(self, request, queryset):
        # While a search is shown the engine's order stands (best match first), unless the person
        # sorts by a column; the admin's default order would put the newest first instead.
        if self.query and ORDER_VAR not in self.params and queryset.query.order_by:
            return self._get_deterministic_ordering(list(queryset.query.order_by))
        return super().get_ordering(request, queryset)
