"""Arabic/English fields through django-modeltranslation. Arabic is required, English optional."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Attribution, Correction, Image, Section, Source, Tag


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("ar",)


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("ar",)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("headline", "deck", "summary", "body", "dateline")
    required_languages = {"ar": ("headline",)}


@register(Attribution)
class AttributionTranslationOptions(TranslationOptions):
    fields = ("description",)
    required_languages = ("ar",)


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")
    required_languages = {"ar": ("alt",)}


@register(Correction)
class CorrectionTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("ar",)


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    # English pages show the English name; a tag without one shows its Arabic name.
    fields = ("name",)
    required_languages = ("ar",)
    # Unique per language: a tag without an English name stores NULL there, not a second "".
    empty_values = {"name": None}
