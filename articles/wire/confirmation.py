"""Sources an import proposed, waiting on a draft: confirm one, merge it into an existing source, or
discard it. Each is one transaction that locks the story, checks the version the person saw and
their rights, writes the change with a revision, and refreshes the search document.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, revisions
from ..models import Article, Attribution, Source, SourceProposal
from ..slugs import unique_slug
from .drafts import _existing

ACTIONS = ("confirm", "merge", "discard")


def resolve(
    proposal_id: int, action: str, *, by, loaded_version: int, into: Source | None = None, name: str = ""
) -> Article:
    """Confirm (a new Source named `name`, or the proposed name), merge (`into` an existing
    Source) or discard one proposed source of a story.

    Raises PermissionDenied (nothing changes), revisions.EditConflict when the story was saved
    after `loaded_version`, or ValidationError for a bad request.
    """
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    with transaction.atomic():
        proposal = SourceProposal.objects.select_related("article").filter(pk=proposal_id).first()
        if proposal is None:
            raise ValidationError(_("This proposed source was already dealt with."))
        if not permissions.can_edit(by, proposal.article):
            raise PermissionDenied
        article = revisions.lock_for_save(proposal.article_id, loaded_version)
        if action == "confirm":
            if not by.has_perm("articles.add_source"):
                raise PermissionDenied
            source = _existing(name or proposal.name) or Source.objects.create(
                name_ar=" ".join((name or proposal.name).split())[:200],
                name_en=proposal.name_en,
                kind=proposal.kind,
                slug=unique_slug(Source, name or proposal.name, max_length=200),
            )
            note = _("Confirmed the source “%(name)s”") % {"name": source.name_ar}
        elif action == "merge":
            if into is None:
                raise ValidationError(_("Choose the existing source to merge into."))
            source = into
            note = _("“%(proposed)s” merged into the source “%(name)s”") % {
                "proposed": proposal.name,
                "name": source.name_ar,
            }
        else:
            source = None
            note = _("Discarded the proposed source “%(name)s”") % {"name": proposal.name}
        if source is not None:
            _cite(article, proposal, source)
        proposal.delete()
        article.version += 1
        article.updated_at = timezone.now()
        article.save(update_fields=["credit", "version", "updated_at"])
        revisions.record_save(article, by, note=note)
    return article


def _cite(article: Article, proposal: SourceProposal, source: Source) -> None:
    """The credit, or an attribution after the story's others."""
    if proposal.role == SourceProposal.Role.CREDIT:
        if article.credit_id is None:
            article.credit = source
        return
    last = article.attributions.aggregate(n=Max("position"))["n"]
    Attribution.objects.create(
        article=article,
        source=source,
        description_ar=proposal.description or proposal.name,
        is_anonymous=proposal.is_anonymous,
        position=(last + 1) if last is not None else proposal.position,
    )
