"""Admin for the newsroom's registries: sections, sources and tags."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import slugs
from ..models import Section, Source, Tag
from .changelog import ArabicHistoryMixin
from .readonly import ReadOnlyView

# Translated fields carry no language in their labels: their fieldset says which it is.
ARABIC, ENGLISH = _("Arabic"), _("English (optional)")


@admin.display(description=_("slug"), ordering="slug")
def address(obj):
    """A slug is part of an address, not a word: set left to right, marked as no language."""
    return format_html('<bdi dir="ltr" lang="zxx">{}</bdi>', obj.slug)


@admin.register(Section)
class SectionAdmin(ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
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
class SourceAdmin(ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
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

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.has_perm("articles.view_source_identity"):
            kwargs["exclude"] = [*(kwargs.get("exclude") or []), "identity", "private_notes"]
        return super().get_form(request, obj, **kwargs)


@admin.register(Tag)
class TagAdmin(ArabicHistoryMixin, ReadOnlyView, admin.ModelAdmin):
    list_display = ["name", address]
    search_fields = ["name", "slug"]

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = slugs.unique_slug(Tag, obj.name)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        return form
