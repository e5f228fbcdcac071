"""Public pages. Every queryset starts from Article.objects.public(language).

Each page is built in a fixed number of queries whatever it lists (tests count them), and
anonymous answers go through the shared page cache: `cache.public_page` declares each view and the
query parameters it reads.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import OuterRef, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import seo, story_lists
from .cache import never_cache_headers, page_number, public_page
from .models import BREAKING_URGENCY, WITHDRAWN, Article, Attribution, Byline, Section, Source, Tag
from .prepared import PreparedQuery
from .visibility import has_language

PAGE_SIZE = 20
SECTION_BLOCK_SIZE = 4
RELATED_COUNT = 4
BREAKING_COUNT = 5
BREAKING_FOR = timedelta(hours=24)
LEAD_WINDOW = 30
LATEST_COUNT = 8
# The columns a card (`{% card %}`, articles/templatetags/cards.py), the breaking strip and the
# home page's lead show; of its section and picture, `story_lists.CARD_SECTION` and `CARD_IMAGE`.
# The rest (the body above all: most of each row at 100,000 stories) stays in the database, and
# every column left out is one fewer to compile, send and turn into an attribute. A template that
# shows another field must name it here, or each card costs a query (the query-count tests in
# tests/test_views_queries.py catch it).
CARD_FIELDS = (
    "headline",
    "deck",
    "summary",
    "dateline",
    "slug",
    "urgency",
    "is_featured",
    "publish_at",
    "section",
    "lead_image",
)
# One-to-one relations that other apps hang on a story and show on its page (the desk's live
# coverage), read with the story instead of costing a query each; an app adds its relation in its
# AppConfig.ready(), so articles never imports it.
STORY_PAGE_JOINS: list[str] = []


def public_articles(language: str | None = None):
    """Public stories in the page's language, newest first, with the fields a card shows.

    Their pictures' renditions are not fetched: add `.prefetch_related("lead_image__renditions")`
    for a list whose every card shows its picture, or call `fetch_pictures()` on the ones shown.
    """
    return (
        Article.objects.public(language or get_language())
        .select_related("section", "lead_image")
        .only(
            *CARD_FIELDS,
            *(f"section__{name}" for name in story_lists.CARD_SECTION),
            *(f"lead_image__{name}" for name in story_lists.CARD_IMAGE),
        )
        .order_by("-publish_at", "-id")
    )


def attach_relations(articles, sections) -> None:
    """Give each story its section from `sections` (every section a story here may be in), as
    `select_related` would, without a join and a Section object a row; and its lead picture, read
    with it (`story_lists.joined`)."""
    by_id = {section.pk: section for section in sections}
    picture = [story_lists.joined("lead_image", story_lists.CARD_IMAGE)]
    for article in articles:
        story_lists.lists(article, picture)
        # A story moved to a section made since `sections` was read loads its own.
        if article.section_id in by_id:
            Article.section.field.set_cached_value(article, by_id[article.section_id])


def fetch_pictures(articles) -> None:
    """The stored renditions of these stories' lead pictures, in one query for all of them."""
    prefetch_related_objects([article.lead_image for article in articles if article.lead_image], "renditions")


def nav_sections():
    return list(Section.objects.filter(parent__isnull=True))


def _page(request, queryset):
    """One page of a listing; a page number past the end (or not a number) is a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(_("There is no such page.")) from error


def home_plan(language: str, now):
    """Which stories go where on the home page, as ids, in one query over the sections: each
    section's newest few, read from the (section, publish_at) index, and, the same on every row,
    the newest few, the newest featured story among them and the breaking stories. (Every story
    is in a section, so there is a row whenever there is a story.)"""
    ids = Article.objects.public(language, now).order_by("-publish_at", "-id").values("pk")
    window = ids[:LEAD_WINDOW]
    return Section.objects.annotate(
        newest=ArraySubquery(ids.filter(section=OuterRef("pk"))[: SECTION_BLOCK_SIZE + 1]),
        window=ArraySubquery(window),
        featured=ArraySubquery(ids.filter(pk__in=window, is_featured=True)[:1]),
        breaking=ArraySubquery(
            ids.filter(urgency__lte=BREAKING_URGENCY, publish_at__gte=now - BREAKING_FOR)[:BREAKING_COUNT]
        ),
    )


def home_stories(language: str, now, ids: list[int]):
    """The home page's stories by id, with their pictures (their sections come from the plan)."""
    stories = Article.objects.public(language, now).only(*CARD_FIELDS).filter(pk__any=ids)
    return story_lists.with_lists(stories, [story_lists.joined("lead_image", story_lists.CARD_IMAGE)])


# Their SQL is the same on every request but for the time and the ids: written once per process
# and language.
HOME_PLAN = PreparedQuery(home_plan)
HOME_STORIES = PreparedQuery(home_stories, ids=([-1], [-2]))


@public_page
def home(request):
    # One query says what goes where, one more fetches those stories, one more their pictures;
    # the stories get their sections from the first.
    sections = HOME_PLAN.run(get_language())
    top = [section for section in sections if section.parent_id is None]
    window_ids, featured_ids, breaking_ids = (
        (sections[0].window, sections[0].featured, sections[0].breaking) if sections else ([], [], [])
    )
    # The lead is the newest featured story among the newest few (else the newest), so an old
    # featured story does not hold the top forever; it appears nowhere else on the page.
    lead_id = next(iter(featured_ids or window_ids), None)
    latest_ids = [pk for pk in window_ids if pk != lead_id][:LATEST_COUNT]
    block_ids = [(section, [pk for pk in section.newest if pk != lead_id][:SECTION_BLOCK_SIZE]) for section in top]
    wanted = {lead_id, *latest_ids, *breaking_ids, *(pk for _section, pks in block_ids for pk in pks)}
    found = {article.pk: article for article in HOME_STORIES.run(get_language(), ids=sorted(wanted - {None}))}
    attach_relations(found.values(), sections)
    blocks = [(section, [found[pk] for pk in pks if pk in found]) for section, pks in block_ids]
    blocks = [(section, articles) for section, articles in blocks if articles]
    lead = found.get(lead_id)
    # Pictures show on the lead and on each block's first card; the other cards are compact.
    fetch_pictures([lead, *(articles[0] for _section, articles in blocks)] if lead else [])
    context = {
        "lead": lead,
        "breaking": [found[pk] for pk in breaking_ids if pk in found],
        "latest": [found[pk] for pk in latest_ids if pk in found],
        "blocks": blocks,
        "nav_sections": top,
        "alternates": seo.alternates(request, both=True),
    }
    return render(request, "articles/home.html", context)


def _listing(request, queryset, *, heading, kind, obj, feed_url=None, description="", empty_is_404=False):
    page = _page(request, queryset.prefetch_related("lead_image__renditions"))
    if empty_is_404 and not page.object_list:
        # A tag, source or author with nothing public is not revealed at all.
        raise Http404
    context = {
        "page": page,
        "heading": heading,
        "kind": kind,
        "object": obj,
        "description": description,
        "feed_url": feed_url,
        "nav_sections": nav_sections(),
        "alternates": seo.alternates(request, both=True),
    }
    return render(request, "articles/listing.html", context)


@public_page(params={"page": page_number})
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _listing(
        request,
        public_articles().filter(section=section),
        heading=section.name,
        kind=_("Section"),
        obj=section,
        description=section.description,
        feed_url=seo.feed_url("section", section.slug),
    )


@public_page(params={"page": page_number})
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        public_articles().filter(tags=tag),
        heading=tag.name,
        kind=_("Tag"),
        obj=tag,
        feed_url=seo.feed_url("tag", tag.slug),
        empty_is_404=True,
    )


@public_page(params={"page": page_number})
def source(request, slug):
    source = get_object_or_404(Source, slug=slug)
    # Anonymous attributions never lead from a source to its stories.
    cited = Attribution.objects.filter(source=source, is_anonymous=False).values("article_id")
    return _listing(
        request,
        public_articles().filter(Q(pk__in=cited) | Q(credit=source)),
        heading=source.name,
        kind=_("Source"),
        obj=source,
        description=source.description,
        empty_is_404=True,
    )


@public_page(params={"page": page_number})
def author(request, slug):
    person = get_object_or_404(get_user_model(), slug=slug)
    bylined = Byline.objects.filter(author=person).values("article_id")
    return _listing(
        request,
        public_articles().filter(pk__in=bylined),
        heading=str(person),
        kind=_("Author"),
        obj=person,
        description=person.bio,
        empty_is_404=True,
    )


def story_queryset(queryset=None):
    """Everything the story page shows, in a fixed number of queries: one for the story, with its
    section, lead picture, credit, bylines, sources, tags, corrections, the picture's renditions
    and the sections of the navigation (`story_lists`), one for the related stories
    (`render_story`).

    Pass another base queryset (e.g. `Article.objects.all()` for a signed preview); by default it
    is the public stories in the page's language.
    """
    if queryset is None:
        queryset = Article.objects.public(get_language())
    # Only search reads the search document: the largest column, and a page never shows it.
    return story_lists.with_lists(queryset.defer("search_document"), story_lists.story_page_lists(STORY_PAGE_JOINS))


def one_story(language: str, now, pk: int):
    return story_queryset(Article.objects.public(language, now)).filter(pk=pk)


def related_stories(language: str, now, pk: int, section: int, tags: list[int]):
    """Up to RELATED_COUNT public stories of the same section or sharing a tag, with their
    sections, pictures and pictures' renditions."""
    same_tags = Q(pk__in=Article.tags.through.objects.filter(tag_id__any=tags).values("content_object_id"))
    related = (
        Article.objects.public(language, now)
        .only(*CARD_FIELDS)
        .filter(Q(section_id=section) | same_tags)
        .exclude(pk=pk)
        .order_by("-publish_at", "-id")
    )
    return story_lists.with_lists(related, story_lists.card_lists(pictures=True))[:RELATED_COUNT]


# The same SQL on every request but for the time and the ids: written once per process and language.
ONE_STORY = PreparedQuery(one_story, pk=(-1, -2))
RELATED_STORIES = PreparedQuery(related_stories, pk=(-1, -2), section=(-3, -4), tags=([-5], [-6]))


def story_parts(article) -> dict[str, list]:
    """The lists of a story fetched through `story_queryset()` (its joined rows given to it)."""
    return story_lists.lists(article, story_lists.story_page_lists(STORY_PAGE_JOINS))


def render_story(request, article, *, preview=False, lists=None):
    """The story page for one Article fetched through `story_queryset()` (`lists`: its
    `story_parts()`, when the caller has read them already).

    With `preview=True` (signed preview links of drafts) the page asks not to be indexed and is
    sent with never-cache headers; the caller must not wrap it in the page cache.
    """
    language = get_language()
    # A preview shows no other edition: the story is not public in either.
    has_english = not preview and has_language(article, "en")
    lists = story_parts(article) if lists is None else lists
    related = RELATED_STORIES.run(
        language, pk=article.pk, section=article.section_id, tags=[tag.pk for tag in lists["tags"]]
    )
    for story in related:
        story_lists.lists(story, story_lists.card_lists(pictures=True))
    context = {
        "article": article,
        "preview": preview,
        **lists,
        "related": related,
        "alternates": seo.alternates(request, both=has_english or language == "en"),
        "canonical": seo.absolute(article.get_absolute_url()),
    }
    context["jsonld"] = seo.news_article(article, context["bylines"], language)
    context["meta"] = seo.social_meta(article, language)
    response = render(request, "articles/story.html", context)
    if preview:
        never_cache_headers(response)
    return response


@public_page(story="pk")
def story(request, section, pk, slug):
    language = get_language()
    found = ONE_STORY.run(language, pk=pk)
    if not found:
        if Article.objects.filter(pk=pk, status__in=WITHDRAWN).exists():
            return gone(request, language)
        raise Http404
    article = found[0]
    lists = story_parts(article)
    if article.slug != slug or article.section.slug != section:
        return redirect(article, permanent=True)
    return render_story(request, article, lists=lists)


def gone(request, language):
    """An unpublished or killed story: say so, show nothing of it."""
    return render(request, "410.html", {"nav_sections": nav_sections()}, status=410)
