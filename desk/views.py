"""The public side of live coverage: the entries feed that readers' live pages poll."""

from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from articles.cache import public_page
from articles.models import Article

from . import live
from .models import LiveCoverage


@public_page(story="pk")
def entries(request, pk):
    """The entries of a public live page as HTML to swap in, with whether it is still live.

    Served through the page cache like the story's own page, and renewed with it: a poll that
    finds nothing new is a 304 answered from the cache.
    """
    article = Article.objects.public(get_language()).filter(pk=pk).first()
    coverage = LiveCoverage.objects.filter(article=article).first() if article else None
    if coverage is None:
        raise Http404
    shown = list(live.shown_entries(coverage))
    html = render_to_string("desk/live_entries.html", {"entries": shown, "article": article}, request)
    return JsonResponse({"live": coverage.is_live, "count": len(shown), "html": html})
