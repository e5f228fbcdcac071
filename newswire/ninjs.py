"""A story as an IPTC ninjs 2.2 item: the format newsrooms exchange.

One item per story and language, identified by `uri` (a `urn:` that never changes, whatever
happens to the story's slug or section). The item is built once, when a version is issued, and
stored: what a subscriber was sent as version 2 stays version 2. Anonymous sources appear by
their public description only, never by identity.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from articles import images, richtext, seo
from articles.models import Article, Attribution, Byline, Image
from articles.search import plain_text

STANDARD = {"name": "ninjs", "version": "2.2"}
STORY_ID_ROLE = "telescope:story-id"


def item_uri(article_id: int, language: str) -> str:
    return f"{settings.NEWSWIRE_URN}:story:{article_id}:{language}"


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def story_queryset():
    """Everything an item holds, in a fixed number of queries."""
    return Article.objects.select_related("section", "credit", "lead_image").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
        "tags",
        "lead_image__renditions",
    )


def _text(role: str, value: str | None, contenttype: str = "text/plain") -> list[dict]:
    return [{"role": role, "contenttype": contenttype, "value": value}] if value else []


def _picture(image: Image) -> dict:
    """The lead picture as a ninjs association, with every current rendition."""
    renditions = [
        {
            "name": "original",
            "href": seo.absolute(image.file.url),
            "contenttype": "image/" + (image.file.name.rsplit(".", 1)[-1].lower().replace("jpg", "jpeg")),
            "width": image.width,
            "height": image.height,
        }
    ]
    current = {crop: images.focal_key(image, crop) for crop in {r.crop for r in image.renditions.all()}}
    for rendition in sorted(image.renditions.all(), key=lambda r: (r.crop, r.format, r.width)):
        if rendition.focal_key != current[rendition.crop]:
            continue
        renditions.append(
            {
                "name": f"{rendition.crop or 'full'}-{rendition.width}-{rendition.format}",
                "href": seo.absolute(rendition.file.url),
                "contenttype": f"image/{rendition.format}",
                "width": rendition.width,
                "height": rendition.height,
                "sizeinbytes": rendition.size,
                **({"aspectratio": rendition.crop} if rendition.crop else {}),
            }
        )
    association = {
        "name": "featureimage",
        "uri": f"{settings.NEWSWIRE_URN}:image:{image.pk}",
        "type": "picture",
        "descriptions": _text("alt", image.alt) + _text("caption", image.caption),
        "renditions": renditions,
    }
    if image.credit:
        association["by"] = image.credit
        association["copyrightnotice"] = image.credit
    return association


def build(
    article: Article, language: str, *, version: int, pubstatus: str, issued_at: datetime, note: str = ""
) -> dict:
    """The ninjs item of one version of `article` (fetched through `story_queryset()`) in `language`.

    A kill notice (`pubstatus="canceled"`) carries the story's identity, its headline marked as
    killed and the reason, never its text or pictures.
    """
    with translation.override(language):
        headline = getattr(article, f"headline_{language}") or article.headline_ar
        item = {
            "uri": item_uri(article.pk, language),
            "type": "text",
            "representationtype": "full",
            "standard": dict(STANDARD),
            "version": str(version),
            "firstcreated": _time(article.first_published_at),
            "versioncreated": _time(issued_at),
            "pubstatus": pubstatus,
            "urgency": article.urgency,
            "language": language,
            "copyrightholder": _("Telescope News Agency"),
            "copyrightnotice": _("© %(year)s Telescope News Agency. All rights reserved.")
            % {"year": (article.first_published_at or issued_at).year},
            "altids": [{"role": STORY_ID_ROLE, "value": str(article.pk)}],
        }
        if pubstatus == "canceled":
            item["headlines"] = [{"role": "main", "value": _("KILLED: %(headline)s") % {"headline": headline}}]
            item["bodies"] = _text(
                "main", _("This story has been killed. Do not use it, and remove it wherever it was published.")
            )
            item["ednote"] = _("Reason: %(reason)s") % {"reason": note} if note else ""
            return {key: value for key, value in item.items() if value not in ("", None, [])}

        body = richtext.sanitize(getattr(article, f"body_{language}") or "")
        words = plain_text(body)
        separator = "، " if language == "ar" else ", "
        item.update(
            {
                "embargoed": _time(article.embargo_until),
                "headlines": [{"role": "main", "value": headline}],
                "descriptions": _text("deck", getattr(article, f"deck_{language}"))
                + _text("summary", getattr(article, f"summary_{language}")),
                "bodies": [
                    {
                        "role": "main",
                        "contenttype": "text/html",
                        "value": body,
                        "charcount": len(words),
                        "wordcount": len(words.split()),
                    }
                ],
                "by": separator.join(str(byline.author) for byline in article.bylines.all()),
                "located": getattr(article, f"dateline_{language}") or "",
                "slugline": article.slug,
                "subjects": [
                    {
                        "name": article.section.name,
                        "rel": "section",
                        "uri": seo.absolute(article.section.get_absolute_url()),
                    },
                    *(
                        {"name": tag.name, "rel": "tag", "uri": seo.absolute(tag.get_absolute_url())}
                        for tag in article.tags.all()
                    ),
                ],
                "infosources": _sources(article),
                "renditions": [
                    {"name": "web", "href": seo.absolute(article.get_absolute_url()), "contenttype": "text/html"}
                ],
                "ednote": note,
            }
        )
        if article.lead_image is not None:
            item["associations"] = [_picture(article.lead_image)]
    return {key: value for key, value in item.items() if value not in ("", None, [])}


def _sources(article: Article) -> list[dict]:
    sources = []
    if article.credit is not None:
        sources.append(
            {"name": article.credit.name, "role": "credit", "uri": seo.absolute(article.credit.get_absolute_url())}
        )
    for attribution in article.attributions.all():
        if attribution.is_anonymous:
            sources.append({"name": attribution.description, "role": "anonymous-source"})
        else:
            sources.append(
                {
                    "name": attribution.source.name,
                    "role": "source",
                    "literal": attribution.description,
                    "uri": seo.absolute(attribution.source.get_absolute_url()),
                }
            )
    return sources
