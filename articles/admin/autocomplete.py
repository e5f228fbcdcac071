"""The admin's autocomplete answers (select2 boxes) where Django's own would fall short.

- Bylines: the author box searches the newsroom's staff. Django asks the *staff* admin for view
  rights, which journalists rightly lack, so their "add another byline" answered 403. Anyone who
  may write a story may pick its co-authors, among active staff, by name (never by e-mail).
- Pictures: each answer carries a small square thumbnail, so the lead-image picker shows the
  pictures themselves and not only their alt text.
- Every model's: the search term is cleaned like a search box's (CleanAutocompleteJsonView).
"""

from functools import reduce
from operator import or_

from django.contrib.admin.sites import AdminSite
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .. import images, permissions
from ..models import Byline, Image, Rendition
from .validation import CleanAutocompleteJsonView

# Searched with icontains: staff lists are a few hundred people.
AUTHOR_SEARCH_FIELDS = ("display_name_ar", "display_name_en", "first_name", "last_name", "username")


def thumbnail_url(image: Image) -> str:
    """The smallest square rendition at the picture's focal point, from prefetched renditions."""
    key = images.focal_key(image, "1:1")
    squares = [r for r in image.renditions.all() if r.crop == "1:1" and r.focal_key == key]
    if not squares:
        return image.file.url if image.file else ""
    # WebP first at the same width: a third of the bytes of the JPEG.
    best = min(squares, key=lambda r: (r.width, r.format != Rendition.Format.WEBP))
    return best.file.url


def byline_authors(term: str) -> QuerySet:
    people = get_user_model().objects.filter(is_active=True, is_staff=True)
    for word in term.split():
        people = people.filter(reduce(or_, (Q(**{f"{name}__icontains": word}) for name in AUTHOR_SEARCH_FIELDS)))
    return people.order_by("display_name_ar", "username")


class NewsroomAutocompleteView(CleanAutocompleteJsonView):
    def is_byline_author(self) -> bool:
        return self.source_field.model is Byline and self.source_field.name == "author"

    def has_perm(self, request, obj=None):
        if self.is_byline_author():
            return permissions.can_write_stories(request.user)
        return super().has_perm(request, obj)

    def get_queryset(self):
        if self.is_byline_author():
            return byline_authors(self.term)
        return super().get_queryset()

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Image):
            result["thumbnail"] = thumbnail_url(obj)
        return result


def install(site: AdminSite) -> None:
    """Answer the site's /admin/autocomplete/ with the view above."""
    site.autocomplete_view = lambda request: NewsroomAutocompleteView.as_view(admin_site=site)(request)
