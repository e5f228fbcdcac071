"""The image library."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ..models import Image


@admin.register(Image)
class ImageAdmin(TranslationAdmin):
    list_display = ["thumbnail", "alt", "credit", "width", "height", "created_at"]
    search_fields = ["alt_ar", "alt_en", "caption_ar", "caption_en", "credit"]
    fields = ["file", "alt_ar", "alt_en", "caption_ar", "caption_en", "credit", "focal_x", "focal_y"]

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        if not obj.file:
            return "—"
        return format_html('<img src="{}" alt="" width="96" loading="lazy">', obj.file.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
