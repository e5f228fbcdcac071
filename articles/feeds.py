"""RSS 2.0 and Atom feeds: the latest stories, per section and per tag, in each language.

Every feed lists `Article.objects.public(language)`; links are absolute on settings.SITE_URL.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import seo
from .models import Article, Section, Tag

FEED_SIZE = 30


class LatestFeed(Feed):
    url_name = "articles:feed-latest"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return _("Telescope News Agency")

    def description(self, obj):
        return _("The latest stories from Telescope News Agency")

    def link(self, obj):
        return seo.absolute(reverse("articles:home"))

    def feed_url(self, obj):
        return seo.absolute(reverse(self.url_name, kwargs={"slug": obj.slug} if obj else None))

    def feed_copyright(self, obj):
        return _("Telescope News Agency")

    @property
    def language(self):
        return get_language()

    def stories(self, obj):
        return Article.objects.public(get_language())

    def items(self, obj):
        return (
            self.stories(obj)
            .select_related("section", "credit")
            .prefetch_related("tags")
            .order_by("-publish_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.summary or item.deck

    def item_link(self, item):
        return seo.absolute(item.get_absolute_url())

    def item_guid(self, item):
        # The numeric id never changes, whatever happens to the slug or section.
        return f"{seo.absolute(reverse('articles:home'))}#story-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_author_name(self, item):
        return item.credit.name if item.credit else _("Telescope News Agency")


class SectionFeed(LatestFeed):
    url_name = "articles:feed-section"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{obj.name} — {_('Telescope News Agency')}"

    def link(self, obj):
        return seo.absolute(obj.get_absolute_url())

    def stories(self, obj):
        return super().stories(obj).filter(section=obj)


class TagFeed(LatestFeed):
    url_name = "articles:feed-tag"

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        # A tag used only on stories readers cannot see is not revealed, not even by name.
        if not Article.objects.public(get_language()).filter(tags=tag).exists():
            raise Http404
        return tag

    def title(self, obj):
        return f"{obj.name} — {_('Telescope News Agency')}"

    def link(self, obj):
        return seo.absolute(obj.get_absolute_url())

    def stories(self, obj):
        return super().stories(obj).filter(tags=obj)


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class LatestAtomFeed(AtomMixin, LatestFeed):
    url_name = "articles:feed-latest-atom"


class SectionAtomFeed(AtomMixin, SectionFeed):
    url_name = "articles:feed-section-atom"


class TagAtomFeed(AtomMixin, TagFeed):
    url_name = "articles:feed-tag-atom"
