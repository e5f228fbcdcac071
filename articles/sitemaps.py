"""Sitemaps: an index of stories, sections and tags per language, in files of at most 50,000 URLs,
and a Google News sitemap of the last 48 hours.

Everything listed comes from `Article.objects.public(language)`. Addresses are built on
settings.SITE_URL; Arabic slugs arrive percent-encoded from `reverse()`.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from . import seo
from .cache import LONG_TIMEOUT, page_number, public_page
from .models import Article, Section, Tag, TaggedArticle

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """A sitemap of one language's pages, addressed on SITE_URL whoever asks."""

    limit = 50_000

    def __init__(self, language: str):
        self.language = language

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def location(self, item):
        with translation.override(self.language):
            return item.get_absolute_url()


class StorySitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return (
            Article.objects.public(self.language)
            .select_related("section")
            .only("pk", "slug", "updated_at", "section__slug")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.order_by("position", "id")


class TagSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        # Only tags that lead somewhere: a tag of drafts alone would name unpublished work.
        tagged = TaggedArticle.objects.filter(content_object__in=Article.objects.public(self.language))
        return Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("pk")


def all_sitemaps() -> dict[str, Sitemap]:
    sitemaps = {}
    for code, _name in settings.LANGUAGES:
        sitemaps[f"stories-{code}"] = StorySitemap(code)
        sitemaps[f"sections-{code}"] = SectionSitemap(code)
        sitemaps[f"tags-{code}"] = TagSitemap(code)
    return sitemaps


@public_page(timeout=LONG_TIMEOUT)
def index(request):
    """The sitemap index: one entry per file, each file at most `limit` URLs."""
    entries = []
    for name, site_map in all_sitemaps().items():
        url = seo.absolute(reverse("sitemap-section", kwargs={"section": name}))
        pages = site_map.paginator.num_pages
        entries += [url if page == 1 else f"{url}?p={page}" for page in range(1, pages + 1)]
    return render(request, "articles/sitemap_index.xml", {"entries": entries}, content_type="application/xml")


@public_page(params={"p": page_number}, timeout=LONG_TIMEOUT)
def section(request, section):
    sitemaps = all_sitemaps()
    if section not in sitemaps:
        raise Http404
    return sitemap_view(request, sitemaps, section=section)


@public_page(timeout=LONG_TIMEOUT)
def news(request):
    """Google News: stories first published in the last 48 hours, at most 1,000, both editions."""
    since = timezone.now() - NEWS_WINDOW
    entries = []
    for code, _name in settings.LANGUAGES:
        stories = (
            Article.objects.public(code)
            .filter(first_published_at__gte=since)
            .select_related("section")
            .order_by("-first_published_at", "-id")[: NEWS_LIMIT - len(entries)]
        )
        with translation.override(code):
            entries += [
                {
                    "location": seo.absolute(story.get_absolute_url()),
                    "language": code,
                    "title": story.headline,
                    "published": story.first_published_at,
                    "publication": translation.gettext("Telescope News Agency"),
                }
                for story in stories
            ]
        if len(entries) >= NEWS_LIMIT:
            break
    return render(request, "articles/news_sitemap.xml", {"entries": entries}, content_type="application/xml")


@public_page(timeout=LONG_TIMEOUT)
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "",
        f"Sitemap: {seo.absolute(reverse('sitemap-index'))}",
        f"Sitemap: {seo.absolute(reverse('sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
