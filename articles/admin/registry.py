"""Admin for the newsroom's registries: sections, sources and tags."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

import audit

from .. import slugs
from ..models import Section, Source, Tag
from .validation import ValidatedInputMixin

# What stands behind a source, and which attributions cite it, filtered by URL, would let anyone
# without the right probe identities one query at a time (?identity__startswith=…, ?attributions=…).
PRIVATE_SOURCE_LOOKUPS = frozenset({"identity", "private_notes", "attributions"})


@admin.register(Section)
class SectionAdmin(ValidatedInputMixin, TranslationAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}


@admin.register(Source)
class SourceAdmin(ValidatedInputMixin, TranslationAdmin):
    # A website typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name_ar", "name_en", "slug", "kind", "website", "description_ar", "description_en"]})
        ]
        if request.user.has_perm("articles.view_source_identity"):
            fieldsets.append((_("Protected identity (chief editors only)"), {"fields": ["identity", "private_notes"]}))
        return fieldsets

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
class TagAdmin(ValidatedInputMixin, TranslationAdmin):
    list_display = ["name_ar", "name_en", "slug"]
    # The tag autocomplete pages through this list: a stable order, no repeats across pages.
    ordering = ["name", "id"]
    search_fields = ["name_ar", "name_en", "slug"]
    fields = ["name_ar", "name_en", "slug"]

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = slugs.unique_slug(Tag, obj.name_ar)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        return form
