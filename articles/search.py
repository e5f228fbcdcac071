"""Full-text search in PostgreSQL over Arabic text folded by `arabic.search_text()`.

The write side (`update_document`, `update_documents`) stores one weighted `tsvector` per story:
headline A; deck, summary, tags, source names and bylines B; body C. Arabic fields are normalised, their
clitics and uneven endings folded by `arabic.search_key()`, then indexed with the `arabic`
configuration; English fields with `english`; the headline's words also get a vector of their own.
The read side (`search_articles`, `find`, `highlight`) folds the query the same way and parses it
with `websearch_to_tsquery`, which never raises, and ranks a bounded set of candidates
(`with_search`): the newest DEPTH matches and the newest HEADLINE_DEPTH headline matches.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import lexicon
from .arabic import normalize, search_key, search_text
from .models import Article, Attribution, Byline, Section, Status, TaggedArticle

CONFIGS = {"ar": "arabic", "en": "english"}
# Longer queries are cut here: nobody types more, and it bounds the work a query can cause.
MAX_QUERY_LENGTH = 200

# One row of the bulk update: the story's id and its six texts, in the order of _DOCUMENT_SQL.
_FIELDS = ("ar_a", "ar_b", "ar_c", "en_a", "en_b", "en_c")
_DOCUMENT_SQL = """
    UPDATE articles_article AS a SET search_document =
        setweight(to_tsvector('arabic', v.ar_a), 'A')
     || setweight(to_tsvector('arabic', v.ar_b), 'B')
     || setweight(to_tsvector('arabic', v.ar_c), 'C')
     || setweight(to_tsvector('english', v.en_a), 'A')
     || setweight(to_tsvector('english', v.en_b), 'B')
     || setweight(to_tsvector('english', v.en_c), 'C'),
        headline_document =
        setweight(to_tsvector('arabic', v.ar_a), 'A') || setweight(to_tsvector('english', v.en_a), 'A')
    FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
        AS v(id, ar_a, ar_b, ar_c, en_a, en_b, en_c)
    WHERE a.id = v.id
"""
_TEXT_FIELDS = ("headline_ar", "deck_ar", "summary_ar", "body_ar", "headline_en", "deck_en", "summary_en", "body_en")


_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str | None) -> str:
    """The words of sanitised story HTML: tags become spaces (so "</p><p>" never glues two words
    together) and entities become characters. Fast enough for bulk indexing."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def _arabic(html: str | None) -> str:
    return search_text(plain_text(html))


def _english(html: str | None) -> str:
    return normalize(plain_text(html))


def _document_texts(fields: dict, tags: list[tuple[str, str]], names: list[tuple[str, str]]) -> tuple:
    """The six texts of a story's document, keyed by weight and language as in _DOCUMENT_SQL.

    `tags` and `names` are (Arabic, English) pairs; `names` are those of its named sources and of
    its authors.
    """
    ar_b = [_arabic(fields["deck_ar"]), _arabic(fields["summary_ar"]), *(_arabic(ar) for ar, _en in tags + names)]
    en_b = [_english(fields["deck_en"]), _english(fields["summary_en"]), *(_english(en) for _ar, en in tags + names)]
    return (
        _arabic(fields["headline_ar"]),
        " ".join(filter(None, ar_b)),
        _arabic(fields["body_ar"]),
        _english(fields["headline_en"]),
        " ".join(filter(None, en_b)),
        _english(fields["body_en"]),
    )


def _plain_texts(fields: dict, tags: list[tuple[str, str]]) -> dict[str, str]:
    """The words of a story as written, per language, for the lexicon."""
    return {
        language: " ".join(plain_text(fields[f"{name}_{language}"]) for name in ("headline", "deck", "summary", "body"))
        + " "
        + " ".join(pair[index] or "" for pair in tags)
        for index, language in enumerate(("ar", "en"))
    }


def _write(rows: list[tuple]) -> None:
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(_DOCUMENT_SQL, [list(column) for column in columns])


def update_document(article: Article) -> None:
    """Rebuild the stored, weighted search document of one story.

    Call inside the transaction that saved the story, so the document never lags behind it.
    """
    update_documents([article.pk])


def update_documents(ids: list[int]) -> int:
    """Rebuild the documents of many stories in five queries, and add their words to the search
    lexicon once the transaction commits; returns how many documents were written.

    Anonymous sources are left out: their names must not be findable by readers. Bylines are in,
    so the newsroom finds a story by its author's name (the names are public on the story page).
    """
    ids = list(ids)
    tags = defaultdict(list)
    for article_id, name_ar, name_en in TaggedArticle.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name_ar", "tag__name_en"
    ):
        tags[article_id].append((name_ar, name_en))
    names = defaultdict(list)
    for article_id, name_ar, name_en in Attribution.objects.filter(article_id__in=ids, is_anonymous=False).values_list(
        "article_id", "source__name_ar", "source__name_en"
    ):
        names[article_id].append((name_ar, name_en))
    for article_id, *parts in Byline.objects.filter(article_id__in=ids).values_list(
        "article_id", "author__display_name_ar", "author__display_name_en", "author__first_name", "author__last_name"
    ):
        display_ar, display_en, first, last = (part or "" for part in parts)
        full = f"{first} {last}".strip()
        names[article_id] += [(display_ar, display_en), (full, full)]
    stories = list(Article.objects.filter(pk__in=ids).values("id", *_TEXT_FIELDS))
    _write([(fields["id"], *_document_texts(fields, tags[fields["id"]], names[fields["id"]])) for fields in stories])
    texts = [_plain_texts(fields, tags[fields["id"]]) for fields in stories]
    # After the commit, in a short transaction of its own: the lexicon's rows are shared by every
    # story using a word, and locking them for the whole save would make concurrent saves of stories
    # with common words wait on each other (and a long transaction, a bulk reindex, stall them all).
    # A lexicon that misses a save's words (a failed write) only suggests a little less.
    transaction.on_commit(lambda: lexicon.record(texts))
    return len(stories)


# ---------------------------------------------------------------------------------------------
# The query side


def clean_query(text: str | None) -> str:
    """The query as it will be searched: no control characters (PostgreSQL refuses NUL), at most
    MAX_QUERY_LENGTH characters, whitespace collapsed."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") else ch for ch in text or "")
    if len(text) > MAX_QUERY_LENGTH:
        # Cut at a space, so the last word searched is a whole one.
        text = text[: MAX_QUERY_LENGTH + 1].rsplit(None, 1)[0] if " " in text[:MAX_QUERY_LENGTH] else ""
    return " ".join(text.split())


_SEARCHABLE = re.compile(r"\w")


def _query_text(text: str, language: str) -> str:
    return search_text(text) if language == "ar" else normalize(text)


def search_query(text: str, language: str = "ar") -> SearchQuery | None:
    """A web-search style query (quoted phrases, OR, -word), or None when nothing in it is searchable."""
    text = _query_text(clean_query(text), language)
    if not _SEARCHABLE.search(text):
        return None
    return SearchQuery(text, config=CONFIGS.get(language, "arabic"), search_type="websearch")


def relevance(text: str, language: str = "ar", now: datetime | None = None):
    """An expression ranking stories for a query, or None when nothing in it is searchable.

    ts_rank (a headline match weighs five times a body match) times a freshness factor that
    falls from 2 for a story published now towards 1, halving its excess within a week: it
    reorders stories that match alike but never lifts a body match over a headline match.
    """
    query = search_query(text, language)
    return None if query is None else _rank(query, now)


def _rank(query: SearchQuery, now: datetime | None = None):
    freshness = RawSQL(
        "1.0 + 7.0 / (7.0 + GREATEST(EXTRACT(EPOCH FROM (%s - COALESCE("
        "articles_article.publish_at, articles_article.updated_at))), 0) / 86400.0)",
        [now or timezone.now()],
        output_field=FloatField(),
    )
    return ExpressionWrapper(SearchRank(F("search_document"), query) * freshness, output_field=FloatField())


# How far a search reads. Up to DEPTH matches are counted and ranked: all of them, when there are no
# more. Beyond that the page says "more than DEPTH", and what is ranked is the DEPTH newest matches
# and the HEADLINE_DEPTH newest headline matches, however old: ranking each of a common word's
# 40,000 matches before choosing ten is what made search slow (bench/search.py).
DEPTH = 1000
HEADLINE_DEPTH = 100
# The newest matches are read one window of publication time after another, going back from the
# latest time a match may have, each window four times the one before; reading stops once enough are
# found. At about 100 stories a day, a word in a third of them is read in the first month alone, a
# rarer one in two or three windows, a rare one in every window (it has few matches). Fewer, wider
# windows measured faster than (7, 30, 120, 480): each window reads the search index anew.
WINDOW_DAYS = (30, 120, 480)


def _newest_matches(
    queryset: QuerySet, match: Q, limit: int, latest: datetime, also: Q | None = None
) -> tuple[str, list]:
    """SQL (and its parameters) for the ids of the `limit` newest stories of `queryset` matching `match`.

    One SELECT per window, joined by UNION ALL under the LIMIT: PostgreSQL runs the parts in turn and
    stops at the limit, so a part reads only its window's matches (the search index's bitmap ANDed
    with the publication-time index's) and the windows further back are never read. The first two
    windows hold the stories with no publication time or a later one: only the admin sees those.
    Each part filters the same subquery, which PostgreSQL flattens into it: compiled once.

    `also` is checked on the rows `match` finds, never with an index: `IS TRUE` keeps PostgreSQL
    from answering it with the search index, which would make it read every story that matches.
    """
    # Every state, named: it changes no result (a constraint allows no other), and lets the
    # (status, publish_at) index serve the windows when the queryset does not pick a state (the admin).
    every_state = Q(status__in=Status.values)
    found = queryset.filter(match, every_state).order_by()
    if also is not None:
        found = found.annotate(also=ExpressionWrapper(also, output_field=BooleanField()))
    sql, params = found.values("id", "publish_at", *(["also"] if also else [])).query.sql_with_params()
    checked = " AND m.also IS TRUE" if also else ""
    # random() < 2 is always true: it is there because random() is parallel restricted, which keeps
    # PostgreSQL from handing the parts to parallel workers; they would read every window at once.
    windows = [("m.publish_at IS NULL AND random() < 2", []), ("m.publish_at > %s", [latest])]
    end = latest
    for days in WINDOW_DAYS:
        start = latest - timedelta(days=days)
        windows.append(("m.publish_at <= %s AND m.publish_at > %s", [end, start]))
        end = start
    windows.append(("m.publish_at <= %s", [end]))
    # Django compiled the subquery and the conditions are the ones above: every value is a parameter.
    part = "(SELECT m.id FROM ({sql}) AS m WHERE {condition} ORDER BY m.publish_at DESC, m.id DESC)"
    parts = [part.format(sql=sql, condition=condition + checked) for condition, _ in windows]
    all_params = [value for _, bounds in windows for value in (*params, *bounds)]
    return f"SELECT id FROM ({' UNION ALL '.join(parts)}) AS newest LIMIT %s", [*all_params, limit]  # noqa: S608


def with_search(
    queryset: QuerySet,
    text: str,
    language: str = "ar",
    order: str = "relevance",
    corrected: str | None = None,
    latest: datetime | None = None,
) -> QuerySet:
    """Filter any story queryset by a search and order it: the public page and the admin share it.

    Only the stories that DEPTH and HEADLINE_DEPTH let in are kept, best first (or newest first),
    `latest` being the latest publication time a match may have (now, unless a date filter says
    earlier). With `corrected` (the query with its slips mended, from `corrected_query()`), stories
    that match either are found, those matching what was typed first.
    """
    query = search_query(text, language)
    if query is None:
        return queryset.none()
    wider = search_query(corrected, language) if corrected else None
    either = query if wider is None else query | wider
    latest = latest or timezone.now()
    sql, params = _newest_matches(queryset, Q(search_document=either), DEPTH + 1, latest)
    if order != "newest":
        # The whole story must match too: "حميميم -طرطوس" matches a headline without طرطوس
        # whose body has it.
        in_headline, whole = Q(headline_document=either), Q(search_document=either)
        headlines, headline_params = _newest_matches(queryset, in_headline, HEADLINE_DEPTH, latest, whole)
        sql, params = f"({sql}) UNION ({headlines})", [*params, *headline_params]
    queryset = queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 — built above from compiled SQL
    first = []
    if wider is not None:
        queryset = queryset.annotate(
            exact_match=Case(When(search_document=query, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        first = ["-exact_match"]
    if order == "newest":
        return queryset.order_by(*first, F("publish_at").desc(nulls_last=True), "-id")
    return queryset.annotate(search_rank=_rank(either)).order_by(*first, "-search_rank", "-id")


def corrected_query(text: str, language: str = "ar") -> str | None:
    """The query with each word no story uses replaced by the word one slip away from it that
    stories use most ("الانسحب" → "الانسحاب"); None when no word needs it."""
    text = clean_query(text)
    fixes = lexicon.corrections(_positive_words(text), language)
    for typed, meant in fixes.items():
        text = re.sub(
            rf"(?<![\w\u064b-\u065f\u0670\u0640]){re.escape(typed)}(?![\w\u064b-\u065f\u0670\u0640])", meant, text
        )
    return text if fixes else None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_articles(
    query: str,
    language: str = "ar",
    section: Section | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: str = "relevance",
    corrected: str | None = None,
) -> QuerySet:
    """Public stories matching a reader's query, best first (or newest first).

    Starts from `Article.objects.public(language)`, so drafts and scheduled stories never appear.
    `section` includes its subsections; the dates are whole days in the newsroom's time zone.
    """
    now = timezone.now()
    queryset, latest = Article.objects.public(language, now=now), now
    if section is not None:
        # Ids, not a join: PostgreSQL can then AND the section-and-time index with the search index.
        sections = [section.pk, *Section.objects.filter(parent=section).values_list("pk", flat=True)]
        queryset = queryset.filter(section_id__in=sections)
    if date_from is not None:
        queryset = queryset.filter(publish_at__gte=_day_start(date_from))
    if date_to is not None:
        day_after = _day_start(date_to + timedelta(days=1))
        queryset, latest = queryset.filter(publish_at__lt=day_after), min(now, day_after)
    # The search vectors are read in the database only: not sent with each result.
    queryset = queryset.select_related("section").defer("search_document", "headline_document")
    return with_search(queryset, query, language, order, corrected, latest)


# Fewer exact matches than this, and words one slip away from the typed ones are searched too.
# One: only a query that finds nothing pays for the lexicon, so every page that finds something
# costs what it did.
FEW_RESULTS = 1


class SearchPaginator(Paginator):
    """Pages over the stories a search counted: at most DEPTH, `more` when it found more than that."""

    def __init__(self, found: int, per_page: int):
        super().__init__(range(min(found, DEPTH)), per_page)
        self.more = found > DEPTH


def _page(results: QuerySet, number, size: int) -> Page:
    """One page of results with their count, in one query (the count rides on each row); a page
    number that is not one gives the first page, one past the last the last, as `Paginator.get_page`.
    Pages end at DEPTH results, which the count never exceeds."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    number = min(number, -(-DEPTH // size))

    def rows(number: int, counted=results) -> list:
        return list(counted[(number - 1) * size : min(number * size, DEPTH)])

    page = rows(number, results.annotate(found=Window(Count("pk"))))
    found = page[0].found if page else results.count() if number > 1 else 0
    paginator = SearchPaginator(found, size)
    if not page and number > paginator.num_pages:
        number = paginator.num_pages
        page = rows(number)
    return Page(page, number, paginator)


@dataclass
class Found:
    """A page of search results; `suggestion` is the corrected query when slips were mended."""

    page: Page
    suggestion: str | None
    exact_count: int


def find(query: str, language: str = "ar", page_number=1, page_size: int = 20, **filters) -> Found:
    """What the search page shows: the exact matches, and when they are few, the stories that
    match the query with its slips mended, ranked below them. Highlighted, one page.

    The common path is the exact search alone, one query with its count; the lexicon is read only
    when it found fewer than FEW_RESULTS stories.
    """
    page = _page(search_articles(query, language, **filters), page_number, page_size)
    exact_count, suggestion = page.paginator.count, None
    if exact_count < FEW_RESULTS and (corrected := corrected_query(query, language)):
        wider = _page(search_articles(query, language, corrected=corrected, **filters), page_number, page_size)
        if wider.paginator.count > exact_count:
            page, suggestion = wider, corrected
    highlight(page.object_list, f"{query} {suggestion}" if suggestion else query, language)
    return Found(page, suggestion, exact_count)


# ---------------------------------------------------------------------------------------------
# Highlighting, on the story's own text so its diacritics still show

# A word as written, with its diacritics and tatweel.
_WORD = re.compile(r"[\w\u064b-\u065f\u0670\u0640]+")
_PHRASE_OR_WORD = re.compile(r'-?"[^"]*"?|\S+')
SNIPPET_WORDS = 32


def _word_key(word: str, language: str) -> str:
    folded = normalize(word)
    return search_key(folded) if language == "ar" and not folded.isascii() else folded.lower()


def _lexemes(keys: set[str], language: str) -> dict[str, set[str]]:
    """What PostgreSQL's configuration makes of each folded word: the exact matching rule."""
    keys = sorted(keys)
    if not keys:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k, tsvector_to_array(to_tsvector(%s::regconfig, k)) FROM unnest(%s::text[]) AS k",
            [CONFIGS.get(language, "arabic"), keys],
        )
        return {key: set(lexemes) for key, lexemes in cursor.fetchall()}


def _positive_words(text: str) -> list[str]:
    """The words a match may contain: not negated, not the OR operator."""
    words = []
    for token in _PHRASE_OR_WORD.findall(clean_query(text)):
        if token.startswith("-") or token.upper() == "OR":
            continue
        words.extend(_WORD.findall(token))
    return words


@dataclass
class _Text:
    source: str
    words: list[re.Match]


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Escape `text`, wrapping each (start, end) span in <mark>."""
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(articles, query: str, language: str = "ar") -> None:
    """Give each story `search_headline` and `search_snippet`: escaped HTML with <mark> on the
    words that matched, cut from the original text. One query for the whole page; each distinct
    word is folded once (a page of twenty stories has ~7,000 words, a few hundred distinct)."""
    articles = list(articles)
    texts = {}
    for article in articles:
        headline = getattr(article, f"headline_{language}") or article.headline_ar or ""
        body = plain_text(getattr(article, f"body_{language}"))
        intro = plain_text(getattr(article, f"summary_{language}")) or plain_text(getattr(article, f"deck_{language}"))
        texts[article.pk] = [_Text(t, list(_WORD.finditer(t))) for t in (headline, body, intro)]
    words = {m.group() for parts in texts.values() for text in parts for m in text.words}
    key_of = {word: _word_key(word, language) for word in words}
    query_keys = {_word_key(word, language) for word in _positive_words(query)}
    lexemes = _lexemes(set(key_of.values()) | query_keys, language)
    wanted = set().union(*(lexemes.get(key, set()) for key in query_keys)) if query_keys else set()
    matching = {word for word, key in key_of.items() if lexemes.get(key, set()) & wanted}

    def hits(text: _Text) -> list[bool]:
        return [m.group() in matching for m in text.words]

    for article in articles:
        headline, body, intro = texts[article.pk]
        headline_hits = hits(headline)
        article.search_headline = mark_safe(  # noqa: S308 — _mark escapes every piece of text
            _mark(headline.source, [m.span() for m, hit in zip(headline.words, headline_hits, strict=True) if hit])
        )
        article.search_snippet = _snippet(body, hits(body)) or _snippet(intro, hits(intro), fallback=True)


def _snippet(text: _Text, flags: list[bool], fallback: bool = False) -> str:
    """The window of SNIPPET_WORDS words holding the most matches; the opening words as a fallback."""
    if not text.words or (not any(flags) and not fallback):
        return ""
    # Windows start a few words before a match, so the snippet reads as a phrase.
    starts = [max(0, i - 4) for i, hit in enumerate(flags) if hit] or [0]
    start = max(starts, key=lambda s: (sum(flags[s : s + SNIPPET_WORDS]), -s))
    words = text.words[start : start + SNIPPET_WORDS]
    begin, end = words[0].start(), words[-1].end()
    spans = [
        (m.start() - begin, m.end() - begin)
        for m, hit in zip(words, flags[start : start + SNIPPET_WORDS], strict=True)
        if hit
    ]
    html = ("… " if start else "") + _mark(text.source[begin:end], spans) + (" …" if end < len(text.source) else "")
    return mark_safe(html)  # noqa: S308 — _mark escapes every piece of text
