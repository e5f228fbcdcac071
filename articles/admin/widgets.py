"""Widgets of the story form."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import format_html

from ..models import Image
from .autocomplete import thumbnail_url
from .validation import SafeAutocompleteMixin


class ImagePicker(SafeAutocompleteMixin, AutocompleteSelect):
    """The lead-image box: its answers show the pictures, and the chosen one is shown beside it.

    static/admin/image-picker.js starts it (in place of Django's autocomplete.js, hence the class)
    and draws each answer's thumbnail from the autocomplete view's `thumbnail`.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "image-picker")
        return attrs

    def render(self, name, value, attrs=None, renderer=None):
        chosen = None
        if value and str(value).isdigit():
            chosen = Image.objects.prefetch_related("renditions").filter(pk=value).first()
            self.preloaded = [chosen] if chosen else []  # the box shows it without a query of its own
        src = thumbnail_url(chosen) if chosen else ""
        return format_html(
            '{}<img class="image-picker-preview" src="{}" alt="" width="96" height="96"{}>',
            super().render(name, value, attrs, renderer),
            src,
            "" if src else " hidden",
        )
