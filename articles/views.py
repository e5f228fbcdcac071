"""Public pages. Every queryset starts from Article.objects.public()."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from .models import Article, Attribution, Byline, Section, Source, Tag

PAGE_SIZE = 20


def public_articles():
    return (
        Article.objects.public(get_language())
        .select_related("section", "lead_image")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        .order_by("-publish_at", "-id")
    )


def _listing(request, template, queryset, **context):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


def home(request):
    return render(request, "articles/home.html", {"articles": public_articles()[:PAGE_SIZE]})


def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _listing(request, "articles/listing.html", public_articles().filter(section=section), title=section.name)


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, "articles/listing.html", public_articles().filter(tags=tag), title=tag.name)


def source(request, slug):
    source = get_object_or_404(Source, slug=slug)
    queryset = public_articles().filter(attributions__source=source, attributions__is_anonymous=False).distinct()
    return _listing(request, "articles/listing.html", queryset, title=source.name)


def author(request, slug):
    person = get_object_or_404(get_user_model(), slug=slug)
    return _listing(
        request, "articles/listing.html", public_articles().filter(bylines__author=person), title=str(person)
    )


def story_queryset(queryset=None):
    """A story with everything its page shows, in a constant number of queries."""
    queryset = Article.objects.public(get_language()) if queryset is None else queryset
    return queryset.select_related("section", "lead_image", "credit").prefetch_related(
        "tags",
        "corrections",
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
    )


def render_story(request, article, *, preview=False):
    return render(request, "articles/story.html", {"article": article, "preview": preview})


def story(request, section, pk, slug):
    article = story_queryset().filter(pk=pk).first()
    if article is None:
        raise Http404
    if article.slug != slug or article.section.slug != section:
        return redirect(article, permanent=True)
    return render_story(request, article)
