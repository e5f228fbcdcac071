"""What search engines and social sites read: absolute URLs, hreflang alternates, JSON-LD, Open Graph.

Absolute addresses come from settings.SITE_URL, never from the request's Host header, so a cached
page or feed names the same site whoever asked first.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

LOCALES = {"ar": "ar_AR", "en": "en_US"}


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def alternates(request, *, both: bool) -> list[tuple[str, str]]:
    """(language, absolute URL) for each edition of this page; Arabic only unless `both`."""
    languages = [code for code, _name in settings.LANGUAGES] if both else [settings.LANGUAGE_CODE]
    return [(code, absolute(translate_url(request.path, code))) for code in languages]


def feed_url(kind: str, slug: str | None = None) -> str:
    name = {"latest": "articles:feed-latest", "section": "articles:feed-section", "tag": "articles:feed-tag"}[kind]
    return reverse(name, kwargs={"slug": slug} if slug else None)


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": _("Telescope News Agency"),
        "url": absolute(reverse("articles:home")),
        "logo": {"@type": "ImageObject", "url": absolute(static("img/logo.png")), "width": 512, "height": 512},
    }


def image_url(article) -> str | None:
    image = article.lead_image
    return absolute(image.file.url) if image and image.file else None


def news_article(article, bylines, language: str) -> dict:
    """schema.org NewsArticle for the story page."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "headline": article.headline,
        "description": article.deck or article.summary,
        "datePublished": (article.first_published_at or article.publish_at).isoformat()
        if (article.first_published_at or article.publish_at)
        else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {"@type": "Person", "name": str(b.author), "url": absolute(b.author.get_absolute_url())}
            if b.author.slug
            else {"@type": "Person", "name": str(b.author)}
            for b in bylines
        ]
        or [{"@type": "Organization", "name": _("Telescope News Agency")}],
        "publisher": publisher(),
        "articleSection": article.section.name,
        "inLanguage": language,
    }
    url = image_url(article)
    if url:
        data["image"] = [url]
    return {key: value for key, value in data.items() if value not in (None, "")}


def social_meta(article, language: str) -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples for Open Graph and Twitter card <meta> tags."""
    description = article.deck or article.summary or ""
    image = image_url(article)
    other = "en" if language == "ar" else "ar"
    with translation.override(language):
        site_name = _("Telescope News Agency")
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", article.headline),
        ("property", "og:description", description),
        ("property", "og:url", absolute(article.get_absolute_url())),
        ("property", "og:locale", LOCALES.get(language, language)),
        ("property", "og:locale:alternate", LOCALES[other]),
        ("property", "article:section", article.section.name),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", article.headline),
        ("name", "twitter:description", description),
    ]
    if article.first_published_at:
        tags.append(("property", "article:published_time", article.first_published_at.isoformat()))
    tags.append(("property", "article:modified_time", article.updated_at.isoformat()))
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
        if article.lead_image.alt:
            tags.append(("property", "og:image:alt", article.lead_image.alt))
    return tags
