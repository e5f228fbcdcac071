"""`create_draft()`: an accepted proposal becomes a draft, whole or not at all."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import revisions, richtext, search
from ..arabic import normalize
from ..inputs import clean_text
from ..models import Article, Attribution, Byline, Section, Source
from ..slugs import unique_slug
from .proposal import WireProposal


def create_draft(proposal: WireProposal, *, by, section: Section, note: str = "") -> Article:
    """Write an accepted proposal as a draft owned by `by`: the story, its credit, byline, tags and
    attributions, new sources where the proposal names them, a revision and the search document.
    All in one transaction: on any error nothing is left behind.
    """
    with transaction.atomic():
        new_sources: dict[str, Source] = {}
        credit = None
        if proposal.credit is not None:
            credit = proposal.credit.source or _source_for(proposal.credit.name, Source.Kind.AGENCY, new_sources)
        article = Article.objects.create(
            headline_ar=clean_text(proposal.headline),
            summary_ar=clean_text(proposal.summary, multiline=True),
            dateline_ar=clean_text(proposal.dateline),
            body_ar=richtext.sanitize(proposal.body_html),
            slug=unique_slug(Article, proposal.headline, max_length=100),
            section=section,
            credit=credit,
            created_by=by,
        )
        if by is not None:
            Byline.objects.create(article=article, author=by, position=0)
        article.tags.set(_unique(proposal.tags))
        for position, item in enumerate(proposal.attributions):
            kind = Source.Kind.PERSON if item.is_anonymous else Source.Kind.ORGANISATION
            source = item.source or _source_for(item.new_source_name or item.description, kind, new_sources)
            Attribution.objects.create(
                article=article,
                source=source,
                description_ar=clean_text(item.description),
                is_anonymous=item.is_anonymous,
                position=position,
            )
        revisions.save_revision(article, by, note=note or str(_("Imported from wire copy")))
        search.update_document(article)
    return article


def _unique(names: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        name = " ".join(clean_text(name).split())
        if name and normalize(name).casefold() not in seen:
            seen.add(normalize(name).casefold())
            result.append(name)
    return result


def _source_for(name: str, kind: str, made: dict[str, Source]) -> Source:
    """The source called `name` (spelling variants count as the same name), made if there is none."""
    name = " ".join(clean_text(name).split())[:200]
    key = normalize(name).casefold()
    if key in made:
        return made[key]
    existing = next(
        (s for s in Source.objects.only("id", "name_ar") if normalize(s.name_ar or "").casefold() == key), None
    )
    made[key] = existing or Source.objects.create(
        name_ar=name, kind=kind, slug=unique_slug(Source, name, max_length=200)
    )
    return made[key]
