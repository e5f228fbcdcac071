"""Sources an import proposed, waiting on a draft: confirm one, merge it into an existing source, or
discard it. Each is one transaction that locks the story, checks the version the person saw and
their rights, writes the change with a revision, and refreshes the search document.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Article, Source, SourceProposal
from ..slugs import unique_slug
from .drafts import _existing

ACTIONS = ("confirm", "merge", "discard")


def resolve(
    proposal_id: int, action: str, *, by, loaded_version: int, into: Source | None = None, name: str = ""
) -> Article:
    """Confirm (a new Source named `name`, or the proposed name), merge (`into` an existing
    Source) or discard one proposed source of a story.

    Confirming and merging cite the source through `editing.save_edit()` (lock, version check,
    revision, search); discarding changes nothing readers see, so it only checks the version.
    Raises PermissionDenied (nothing changes), revisions.EditConflict when the story was saved
    after `loaded_version`, or ValidationError for a bad request.
    """
    from .. import editing

    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    with transaction.atomic():
        proposal = SourceProposal.objects.select_for_update().select_related("article").filter(pk=proposal_id).first()
        if proposal is None:
            raise ValidationError(_("This proposed source was already dealt with."))
        article = proposal.article
        if not permissions.can_edit(by, article):
            raise PermissionDenied
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
            editing.check_version(Article.objects.select_for_update().get(pk=article.pk), loaded_version)
            proposal.delete()
            return article
        proposal.delete()
        editing.save_edit(article, by, _citing(article, proposal, source), loaded_version=loaded_version, note=note)
    return article


def _citing(article: Article, proposal: SourceProposal, source: Source):
    """The edit that cites `source`: as the credit, or as an attribution after the story's others."""
    from .. import editing

    if proposal.role == SourceProposal.Role.CREDIT:
        return editing.Edit(fields={"credit": source.pk} if article.credit_id is None else {})
    cited = [
        editing.Citation(a.source_id, a.description_ar or "", a.description_en or "", a.is_anonymous)
        for a in article.attributions.order_by("position", "id")
    ]
    new = editing.Citation(source.pk, proposal.description or proposal.name, "", proposal.is_anonymous)
    return editing.Edit(attributions=[*cited, new])
