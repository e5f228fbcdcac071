"""Admin for the newsroom's registries: sections, sources and tags."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

import audit

from .. import slugs, tasks
from ..models import Attribution, Section, Source, Tag, TaggedArticle
from .changelog import ArabicHistoryMixin
from .readonly import ReadOnlyView
from .validation import ValidatedInputMixin

# What stands behind a source, and which attributions cite it, filtered by URL, would let anyone
# without the right probe identities one query at a time (?identity__startswith=…, ?attributions=…).
PRIVATE_SOURCE_LOOKUPS = frozenset({"identity", "private_notes", "attributions"})
# Names that are part of stories' search documents: renaming one makes those documents stale.
INDEXED_NAMES = {"name", "name_ar", "name_en"}

# Translated fields carry no language in their labels: their fieldset says which it is.
ARABIC, ENGLISH = _("Arabic"), _("English (optional)")


@admin.display(description=_("slug"), ordering="slug")
def address(obj):
    """A slug is part of an address, not a word: set left to right, marked as no language."""
    return format_html('<bdi dir="ltr" lang="zxx">{}</bdi>', obj.slug)


@admin.display(description=_("name in English"), ordering="name_en")
def english_name(obj):
    """Marked as English, so it reads left to right inside the Arabic list."""
    return format_html('<span lang="en" dir="ltr">{}</span>', obj.name_en) if obj.name_en else "—"


@admin.register(Section)
class SectionAdmin(ValidatedInputMixin, ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
    list_display = ["name", address, "parent", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}
    fieldsets = [
        (ARABIC, {"fields": ["name_ar", "description_ar"]}),
        (ENGLISH, {"fields": ["name_en", "description_en"]}),
        (None, {"fields": ["slug", "parent", "position"]}),
    ]


@admin.register(Source)
class SourceAdmin(ValidatedInputMixin, ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
    # A website typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (ARABIC, {"fields": ["name_ar", "description_ar"]}),
            (ENGLISH, {"fields": ["name_en", "description_en"]}),
            (None, {"fields": ["slug", "kind", "website"]}),
        ]
        if request.user.has_perm("articles.view_source_identity"):
            fieldsets.append((_("Protected identity (chief editors only)"), {"fields": ["identity", "private_notes"]}))
        return self.shown_fieldsets(request, obj, fieldsets)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and INDEXED_NAMES & set(form.changed_data):
            # Anonymous sources are not in the documents (search.update_documents).
            cited = Attribution.objects.filter(source=obj, is_anonymous=False).values_list("article_id", flat=True)
            tasks.queue_reindex(cited)

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.has_perm("articles.view_source_identity"):
            kwargs["exclude"] = [*(kwargs.get("exclude") or []), "identity", "private_notes"]
        return super().get_form(request, obj, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.user.has_perm("articles.view_source_identity"):
            audit.record("identity_viewed", by=request.user, obj=obj, request=request, page="source")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in PRIVATE_SOURCE_LOOKUPS and not (
            request is not None and request.user.has_perm("articles.view_source_identity")
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


@admin.register(Tag)
class TagAdmin(ValidatedInputMixin, ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
    list_display = ["name_ar", english_name, address]
    # The tag autocomplete pages through this list: a stable order, no repeats across pages.
    ordering = ["name", "id"]
    search_fields = ["name_ar", "name_en", "slug"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (ARABIC, {"fields": ["name_ar"]}),
            (ENGLISH, {"fields": ["name_en"]}),
            (None, {"fields": ["slug"]}),
        ]
        return self.shown_fieldsets(request, obj, fieldsets)

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = slugs.unique_slug(Tag, obj.name_ar)
        super().save_model(request, obj, form, change)
        if change and INDEXED_NAMES & set(form.changed_data):
            tasks.queue_reindex(TaggedArticle.objects.filter(tag=obj).values_list("content_object_id", flat=True))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        return form
