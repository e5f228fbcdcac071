"""Full-text search in PostgreSQL over Arabic text folded by `arabic.search_text()`.

The write side (`update_document`, `update_documents`) stores one weighted `tsvector` per story:
headline A; deck, summary, tags, source names and bylines B; body C. Arabic fields are normalised, their
clitics and uneven endings folded by `arabic.search_key()`, then indexed with the `arabic`
configuration; English fields with `english`. The read side (`search_articles`, `highlight`)
folds the query the same way and parses it with `websearch_to_tsquery`, which never raises.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .arabic import normalize, search_key, search_text
from .models import Article, Attribution, Byline, Section, TaggedArticle

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
     || setweight(to_tsvector('english', v.en_c), 'C')
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


def _document_texts(fields: dict, tags: list[str], names_ar: list[str], names_en: list[str]) -> tuple:
    """The six texts of a story's document, keyed by weight and language as in _DOCUMENT_SQL.

    `names_ar`/`names_en`: the names of its (named) sources and of its authors.
    """
    ar_b = [_arabic(fields["deck_ar"]), _arabic(fields["summary_ar"]), *map(_arabic, tags), *map(_arabic, names_ar)]
    en_b = [_english(fields["deck_en"]), _english(fields["summary_en"]), *map(_english, names_en)]
    return (
        _arabic(fields["headline_ar"]),
        " ".join(filter(None, ar_b)),
        _arabic(fields["body_ar"]),
        _english(fields["headline_en"]),
        " ".join(filter(None, en_b)),
        _english(fields["body_en"]),
    )


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
    """Rebuild the documents of many stories in five queries; returns how many were written.

    Anonymous sources are left out: their names must not be findable by readers. Bylines are in,
    so the newsroom finds a story by its author's name (the names are public on the story page).
    """
    ids = list(ids)
    tags = defaultdict(list)
    for article_id, name in TaggedArticle.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags[article_id].append(name)
    names_ar, names_en = defaultdict(list), defaultdict(list)
    for article_id, name_ar, name_en in Attribution.objects.filter(article_id__in=ids, is_anonymous=False).values_list(
        "article_id", "source__name_ar", "source__name_en"
    ):
        names_ar[article_id].append(name_ar)
        names_en[article_id].append(name_en)
    for article_id, *names in Byline.objects.filter(article_id__in=ids).values_list(
        "article_id", "author__display_name_ar", "author__display_name_en", "author__first_name", "author__last_name"
    ):
        display_ar, display_en, first, last = (name or "" for name in names)
        names_ar[article_id] += [display_ar, f"{first} {last}".strip()]
        names_en[article_id] += [display_en, f"{first} {last}".strip()]
    rows = [
        (fields["id"], *_document_texts(fields, tags[fields["id"]], names_ar[fields["id"]], names_en[fields["id"]]))
        for fields in Article.objects.filter(pk__in=ids).values("id", *_TEXT_FIELDS)
    ]
    _write(rows)
    return len(rows)


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
    if query is None:
        return None
    freshness = RawSQL(
        "1.0 + 7.0 / (7.0 + GREATEST(EXTRACT(EPOCH FROM (%s - COALESCE("
        "articles_article.publish_at, articles_article.updated_at))), 0) / 86400.0)",
        [now or timezone.now()],
        output_field=FloatField(),
    )
    return ExpressionWrapper(SearchRank(F("search_document"), query) * freshness, output_field=FloatField())


def with_search(queryset: QuerySet, text: str, language: str = "ar", order: str = "relevance") -> QuerySet:
    """Filter any story queryset by a search and order it: the public page and the admin share it."""
    query = search_query(text, language)
    if query is None:
        return queryset.none()
    queryset = queryset.filter(search_document=query)
    if order == "newest":
        return queryset.order_by(F("publish_at").desc(nulls_last=True), "-id")
    return queryset.annotate(search_rank=relevance(text, language)).order_by("-search_rank", "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_articles(
    query: str,
    language: str = "ar",
    section: Section | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: str = "relevance",
) -> QuerySet:
    """Public stories matching a reader's query, best first (or newest first).

    Starts from `Article.objects.public(language)`, so drafts and scheduled stories never appear.
    `section` includes its subsections; the dates are whole days in the newsroom's time zone.
    """
    queryset = Article.objects.public(language)
    if section is not None:
        queryset = queryset.filter(Q(section=section) | Q(section__parent=section))
    if date_from is not None:
        queryset = queryset.filter(publish_at__gte=_day_start(date_from))
    if date_to is not None:
        queryset = queryset.filter(publish_at__lt=_day_start(date_to + timedelta(days=1)))
    return with_search(queryset, query, language, order).select_related("section")


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
    words that matched, cut from the original text. Two queries for the whole page."""
    articles = list(articles)
    texts = {}
    keys = set()
    for article in articles:
        headline = getattr(article, f"headline_{language}") or article.headline_ar or ""
        body = plain_text(getattr(article, f"body_{language}"))
        intro = plain_text(getattr(article, f"summary_{language}")) or plain_text(getattr(article, f"deck_{language}"))
        texts[article.pk] = [_Text(t, list(_WORD.finditer(t))) for t in (headline, body, intro)]
        for text in texts[article.pk]:
            keys.update(_word_key(m.group(), language) for m in text.words)
    query_keys = {_word_key(word, language) for word in _positive_words(query)}
    lexemes = _lexemes(keys | query_keys, language)
    wanted = set().union(*(lexemes.get(key, set()) for key in query_keys)) if query_keys else set()

    def hits(text: _Text) -> list[bool]:
        return [bool(lexemes.get(_word_key(m.group(), language), set()) & wanted) for m in text.words]

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
