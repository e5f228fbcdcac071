"""Full-text search in PostgreSQL over Arabic text folded by `arabic.normalize()`."""

import re

from django.db import connection
from django.utils.html import strip_tags

from .arabic import normalize
from .models import Article


def _plain(html: str) -> str:
    return normalize(strip_tags(html or ""))


def update_document(article: Article) -> None:
    """Rebuild the stored, weighted search document of one story (headline A, deck/tags/sources B, body C).

    Call inside the transaction that saved the story, so the document never lags behind it.
    """
    tags = " ".join(article.tags.values_list("name", flat=True))
    sources = " ".join(
        name for name, anonymous in article.attributions.values_list("source__name_ar", "is_anonymous") if not anonymous
    )
    parts_ar = {
        "a": _plain(article.headline_ar),
        "b": " ".join(
            filter(None, [_plain(article.deck_ar), _plain(article.summary_ar), normalize(tags), normalize(sources)])
        ),
        "c": _plain(article.body_ar),
    }
    parts_en = {
        "a": strip_tags(article.headline_en or ""),
        "b": " ".join(filter(None, [strip_tags(article.deck_en or ""), strip_tags(article.summary_en or "")])),
        "c": strip_tags(article.body_en or ""),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE articles_article SET search_document =
                setweight(to_tsvector('arabic', %(ar_a)s), 'A')
             || setweight(to_tsvector('arabic', %(ar_b)s), 'B')
             || setweight(to_tsvector('arabic', %(ar_c)s), 'C')
             || setweight(to_tsvector('english', %(en_a)s), 'A')
             || setweight(to_tsvector('english', %(en_b)s), 'B')
             || setweight(to_tsvector('english', %(en_c)s), 'C')
            WHERE id = %(id)s
            """,
            {
                **{f"ar_{k}": re.sub(r"\s+", " ", v) for k, v in parts_ar.items()},
                **{f"en_{k}": v for k, v in parts_en.items()},
                "id": article.pk,
            },
        )
