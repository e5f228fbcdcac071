"""How someone who may only read an object sees it (a journalist looking at a submitted story, a
source, a picture): as text, with each language marked.

Django shows a read-only field as its bare value. An English copy then reads on an Arabic page
without `lang="en"` (a screen reader says it with an Arabic voice, and nothing tells it apart
from the page's own words), and an address (slug) runs right to left. `ReadOnlyView` shows
every English copy of a translated field in a `lang="en" dir="ltr"` block and a slug as an
address, and lets an admin swap any other field for a display of its own (`read_only_swaps`).
"""

from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from modeltranslation.translator import NotRegistered, translator


def in_english(name: str, label):
    @admin.display(description=label)
    def shown(obj):
        value = getattr(obj, name)
        return format_html('<div lang="en" dir="ltr">{}</div>', linebreaksbr(value, autoescape=True)) if value else "—"

    return shown


def as_address(name: str, label):
    @admin.display(description=label)
    def shown(obj):
        value = getattr(obj, name)
        return format_html('<bdi dir="ltr" lang="zxx">{}</bdi>', value) if value else "—"

    return shown


class ReadOnlyView:
    # field name → the names shown in its place when the page is read-only ([] hides it)
    read_only_swaps: dict[str, list[str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_instead = {}
        try:
            translated = translator.get_options_for_model(self.model).fields
        except NotRegistered:
            translated = ()
        for field in translated:
            name = f"{field}_en"
            self.shown_instead[name] = in_english(name, self.model._meta.get_field(field).verbose_name)
        if any(field.name == "slug" for field in self.model._meta.fields):
            self.shown_instead["slug"] = as_address("slug", self.model._meta.get_field("slug").verbose_name)
        for name, display in self.shown_instead.items():
            setattr(self, f"{name}_shown", display)

    def is_read_only(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def read_only_names(self, name: str) -> list[str]:
        if name in self.read_only_swaps:
            return self.read_only_swaps[name]
        return [f"{name}_shown"] if name in self.shown_instead else [name]

    def get_fieldsets(self, request, obj=None):
        return self.shown_fieldsets(request, obj, super().get_fieldsets(request, obj))

    def shown_fieldsets(self, request, obj, fieldsets):
        """`fieldsets` as this person sees them (for admins that build their own)."""
        if not self.is_read_only(request, obj):
            return fieldsets
        swapped = []
        for title, options in fieldsets:
            names = [shown for name in options["fields"] for shown in self.read_only_names(name)]
            swapped.append((title, {**options, "fields": names}))
        return swapped

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.is_read_only(request, obj):
            fields += [f"{name}_shown" for name in self.shown_instead]
            fields += [shown for names in self.read_only_swaps.values() for shown in names]
        return fields
