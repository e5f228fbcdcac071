"""The image library: upload with checks, search, and a focal point set by clicking the picture.

The admin calls `images.clean_upload` (through the form field) and `images.save_image` (to
store the file and the row, and queue the job that makes the renditions); it never resizes or
writes a file itself. When the media storage fails, the save leaves nothing behind and the form
comes back as it was sent, with a message saying so. Until the job has made a picture's
renditions, the list and the form show the picture from its original with a note saying so.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import images, tasks, upload_limits
from ..models import Image, Rendition
from .changelog import ArabicHistoryMixin
from .readonly import ReadOnlyView
from .validation import ValidatedInputMixin

logger = logging.getLogger(__name__)

ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


# What the admin says of a picture whose renditions are not all made: a short note, and a sentence.
RENDITION_NOTES = {
    "pending": (
        _("renditions pending"),
        _(
            "The resized copies of this picture are being made in the background; until they are "
            "ready, pages show the original picture."
        ),
    ),
    "failed": (
        _("renditions missing"),
        _(
            "The resized copies of this picture could not be made, so pages show the original "
            "picture. Save the picture again to try once more; if it keeps happening, tell the "
            "technical team."
        ),
    ),
}


class UploadedPictureField(forms.FileField):
    """A file field that accepts only pictures Pillow decodes completely, and stores a cleaned copy."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return images.clean_upload(upload)


class FocalPointInput(forms.NumberInput):
    def __init__(self):
        super().__init__(attrs={"step": "0.01", "min": "0", "max": "1", "class": "focal-input"})


class ImageAdminForm(forms.ModelForm):
    # Set on the form shown again after the media storage refused the save (see ImageAdmin).
    media_unavailable = False

    file = UploadedPictureField(
        label=_("image file"),
        widget=AdminFileWidget(attrs={"accept": ACCEPT}),
        help_text=_("A JPEG, PNG, WebP or GIF photo. Location and camera data are removed when it is saved."),
    )

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit", "focal_x", "focal_y"]
        widgets = {"focal_x": FocalPointInput(), "focal_y": FocalPointInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(upload_limits.file_input_attrs(settings.IMAGE_MAX_UPLOAD_BYTES))

    def clean(self):
        data = super().clean()
        if self.media_unavailable:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "The picture could not be stored: the media storage is not accepting files right now, "
                        "so nothing was saved. Try again in a few minutes (choose the file again if you had "
                        "chosen one); if it keeps happening, tell the technical team."
                    ),
                    code="media_unavailable",
                ),
            )
        return data


@admin.register(Image)
class ImageAdmin(ValidatedInputMixin, ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt", "caption_excerpt", "credit", "dimensions", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "alt"]
    list_select_related = ["uploaded_by"]
    list_per_page = 40
    search_fields = ["alt_ar", "alt_en", "caption_ar", "caption_en", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_picker"]
    fieldsets = [
        (None, {"fields": ["file", "credit"]}),
        (_("Arabic"), {"fields": ["alt_ar", "caption_ar"]}),
        (_("English (optional)"), {"fields": ["alt_en", "caption_en"]}),
        (
            _("Focal point"),
            {
                "fields": ["focal_picker", "focal_x", "focal_y"],
                "description": _(
                    "Click the part of the picture that must stay in view when it is cropped for cards and "
                    "thumbnails. The previews show the crops."
                ),
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom.css", "admin/images.css"]}
        js = ["admin/focal-point.js", "admin/upload-limit.js"]

    def get_queryset(self, request):
        # The list shows each picture's small square copy, not the original.
        thumbs = Rendition.objects.filter(crop="1:1")
        return super().get_queryset(request).prefetch_related(Prefetch("renditions", queryset=thumbs))

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        if not obj.file:
            return "—"
        context = _thumbnail_context(obj)
        picture = render_to_string("articles/includes/picture.html", context)
        if not context["sources"].pending:
            return picture
        return format_html('{}<span class="renditions-note">{}</span>', picture, RENDITION_NOTES["pending"][0])

    @admin.display(description=_("caption"))
    def caption_excerpt(self, obj):
        caption = obj.caption or ""
        return caption if len(caption) <= 80 else caption[:79] + "…"

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("focal point"))
    def focal_picker(self, obj):
        preview = ""
        state = None
        if obj is not None and obj.pk and obj.file:
            preview = images.picture_sources(obj, "lead").src
            state = tasks.renditions_state(obj)
        return render_to_string(
            "admin/articles/image/focal_picker.html",
            {
                "preview": preview,
                "focal_x": obj.focal_x if obj else 0.5,
                "focal_y": obj.focal_y if obj else 0.5,
                "renditions": state,
                "note": RENDITION_NOTES.get(state),
            },
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "media_unavailable", False):
            form = type(form.__name__, (form,), {"media_unavailable": True})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except images.MediaUnavailable:
            # The save rolled back and save_image removed its files. The admin cannot turn an
            # error in save_model into a form error, so the same POST is shown again as a form
            # that says why it was not saved, with everything typed still in it.
            logger.exception("The media storage refused an image upload.")
            request.media_unavailable = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        images.save_image(obj)


def _thumbnail_context(image):
    sources = images.picture_sources(image, "thumb")
    return {
        "image": image,
        "sources": sources,
        "alt": "",
        "loading": "lazy",
        "css_class": "library-thumb",
        "sizes": "96px",
    }
