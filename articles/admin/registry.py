"""Admin for the newsroom's registries: sections, sources and tags."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import slugs, tasks
from ..models import Attribution, Section, Source, Tag, TaggedArticle

# Names that are part of stories' search documents: renaming one makes those documents stale.
INDEXED_NAMES = {"name", "name_ar", "name_en"}


@admin.register(Section)
class SectionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}


@admin.register(Source)
class SourceAdmin(TranslationAdmin):
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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = slugs.unique_slug(Tag, obj.name)
        super().save_model(request, obj, form, change)
        if change and INDEXED_NAMES & set(form.changed_data):
            tasks.queue_reindex(TaggedArticle.objects.filter(tag=obj).values_list("content_object_id", flat=True))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        return form
