"""Template filters for the reader's pages: dates and digits in the page's language, JSON-LD."""

import json
from html import escape

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles import arabic

register = template.Library()

# Inside <script type="application/ld+json">, "</script>" or "<!--" in a headline would end the block.
_JSON_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter
def when(value):
    """Relative within the last day ("منذ ٥ دقائق"), the full date otherwise."""
    return arabic.format_when(value, get_language()) if value else ""


@register.filter
def fulldate(value):
    return arabic.format_datetime(value, get_language()) if value else ""


@register.filter
def digits(value):
    return arabic.localize_digits(value, get_language())


@register.filter
def datetime_attr(value):
    """A moment for <time datetime>: whole seconds, since HTML allows at most three fractional digits
    and Python's isoformat() writes six. Every <time> on the site and in the admin goes through here."""
    return value.isoformat(timespec="seconds") if value else ""


@register.simple_tag
def timestamp(value, css_class=""):
    """A <time> with the machine-readable moment and the reader's wording (full date on hover)."""
    if not value:
        return ""
    language = get_language()
    full = arabic.format_datetime(value, language)
    # Every card has one: html.escape is django's escape() without its lazy-string wrapper.
    css = f' class="{escape(css_class)}"' if css_class else ""
    shown = arabic.format_relative(value, language) or full
    return mark_safe(f'<time datetime="{datetime_attr(value)}" title="{escape(full)}"{css}>{escape(shown)}</time>')  # noqa: S308 (escaped)


# Between the parts of a meta line ("اقتصاد — ١ كانون الأول"). A middle dot "·" reads as the
# Arabic-Indic zero "٠" in Arabic type, and a bar as the digit one "١": a dash is neither.
META_SEPARATOR = "—"


@register.simple_tag
def meta_sep():
    # The spaces stay outside the hidden span, so a screen reader still hears two words.
    return format_html(' <span class="meta-sep" aria-hidden="true">{}</span> ', META_SEPARATOR)


@register.filter
def jsonld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # str.replace runs in C over the whole text; str.translate with a table is a lookup a character.
    for character, escaped in _JSON_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308


@register.filter
def richtext(html):
    """A story body, through the same allowlist as the editor (imports may bypass the form)."""
    from articles.richtext import sanitize

    return mark_safe(sanitize(html))  # noqa: S308


@register.simple_tag(takes_context=True)
def other_edition(context):
    """(language code, its own name, URL) of the other edition of this page, or of its home page."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    current = get_language()
    code = next(code for code, _name in settings.LANGUAGES if code != current)
    names = {"ar": "العربية", "en": "English"}
    for language, url in context.get("alternates") or ():
        if language == code:
            # A relative link keeps the reader on the host they came from.
            return code, names[code], url.removeprefix(settings.SITE_URL)
    with translation.override(code):
        return code, names[code], reverse("articles:home")


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The sections for the navigation; views pass them, error pages look them up."""
    if "nav_sections" in context:
        return context["nav_sections"]
    from articles.models import Section

    return list(Section.objects.filter(parent__isnull=True))
