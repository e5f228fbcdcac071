"""`create_draft()`: an accepted proposal becomes a draft, whole or not at all."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import revisions, richtext, search
from ..arabic import normalize
from ..inputs import clean_text
from ..models import BREAKING_URGENCY, Article, Attribution, Byline, Section, Source, SourceProposal, Tag, Urgency
from ..slugs import unique_slug
from .proposal import AttributionProposal, CreditProposal, WireProposal


def create_draft(proposal: WireProposal, *, by, section: Section, note: str = "") -> Article:
    """Write an accepted proposal as a draft owned by `by`: the story, its credit, byline, tags,
    the attributions to existing sources, a revision and the search document. All in one
    transaction: on any error nothing is left behind.

    A source the registry lacks becomes a `Source` only when its proposal is `confirmed` (a person
    chose so on the import page); otherwise it waits on the draft as a `SourceProposal` for
    someone to confirm or merge. `manage.py import_wire` confirms none.
    """
    with transaction.atomic():
        new_sources: dict[str, Source] = {}
        credit, credit_waits = _credit(proposal.credit, new_sources)
        article = Article.objects.create(
            headline_ar=clean_text(proposal.headline),
            deck_ar=clean_text(proposal.deck, multiline=True),
            summary_ar=clean_text(proposal.summary, multiline=True),
            dateline_ar=clean_text(proposal.dateline),
            body_ar=richtext.sanitize(proposal.body_html),
            slug=unique_slug(Article, proposal.headline, max_length=100),
            section=section,
            credit=credit,
            # Copy marked urgent («عاجل») is proposed as breaking news: urgent enough for the strip.
            urgency=BREAKING_URGENCY if proposal.is_breaking else Urgency.NORMAL,
            created_by=by,
        )
        if by is not None:
            Byline.objects.create(article=article, author=by, position=0)
        article.tags.set(_unique(proposal.tags))
        _name_tags_in_english(proposal.tag_names_en)
        if credit_waits is not None:
            _wait(article, credit_waits, SourceProposal.Role.CREDIT, 0)
        for position, item in enumerate(proposal.attributions):
            source = item.source
            if source is None and item.confirmed:
                source = _source_for(
                    item.new_source_name or item.description, item.kind, new_sources, item.new_source_name_en
                )
            if source is None:
                _wait(article, item, SourceProposal.Role.ATTRIBUTION, position)
                continue
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


def _credit(credit: CreditProposal | None, made: dict) -> tuple[Source | None, AttributionProposal | None]:
    """The credit's Source, or (unconfirmed and unknown) the proposal that waits for it."""
    if credit is None:
        return None, None
    if credit.source is not None:
        return credit.source, None
    if credit.confirmed:
        return _source_for(credit.name, Source.Kind.AGENCY, made, credit.name_en), None
    existing = _existing(credit.name)
    if existing is not None:
        return existing, None
    return None, AttributionProposal(
        description=credit.name, new_source_name=credit.name, new_source_name_en=credit.name_en, kind=Source.Kind.AGENCY
    )


def _wait(article: Article, item: AttributionProposal, role: str, position: int) -> None:
    name = " ".join((item.new_source_name or item.description).split())[:200]
    SourceProposal.objects.create(
        article=article,
        role=role,
        name=name,
        name_en=item.new_source_name_en.strip()[:200],
        description=item.description.strip()[:200],
        kind=item.kind,
        is_anonymous=item.is_anonymous,
        confidence=item.confidence,
        reasons=[[reason.code, reason.detail] for reason in item.reasons],
        sentences=item.sentences,
        position=position,
    )


def _unique(names: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        name = " ".join(clean_text(name).split())
        if name and normalize(name).casefold() not in seen:
            seen.add(normalize(name).casefold())
            result.append(name)
    return result


def _existing(name: str) -> Source | None:
    key = normalize(" ".join(name.split())).casefold()
    return next(
        (
            s
            for s in Source.objects.only("id", "name_ar", "name_en", "kind")
            if key in {normalize(s.name_ar or "").casefold(), normalize(s.name_en or "").casefold()}
        ),
        None,
    )


def _source_for(name: str, kind: str, made: dict[str, Source], name_en: str = "") -> Source:
    """The source called `name` (spelling variants count as the same name), made if there is none."""
    name = " ".join(clean_text(name).split())[:200]
    key = normalize(name).casefold()
    if key in made:
        return made[key]
    made[key] = _existing(name) or Source.objects.create(
        name_ar=name, name_en=name_en.strip()[:200], kind=kind, slug=unique_slug(Source, name, max_length=200)
    )
    return made[key]


def _name_tags_in_english(names: dict[str, str]) -> None:
    """Give tags their English names where they have none yet ({Arabic name: English name}); an
    English name another tag already has is left for an editor to sort out."""
    for name_ar, name_en in names.items():
        name_en = " ".join(name_en.split())[:100]
        if name_en and not Tag.objects.filter(name_en=name_en).exists():
            Tag.objects.filter(name_ar=name_ar, name_en__isnull=True).update(name_en=name_en)
