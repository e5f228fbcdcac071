"""The story list's rows: what each reads."""

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
