"""Autosave: what someone types in a story form is kept until they save it.

The story form's script sends its typed fields every few seconds (and when the page is left);
`keep()` stores them as that person's draft of that story — never the story itself, never a
revision, never a new version. Opening the form again offers the draft back with a diff against
the saved story (`pending()`, `changes()`). A restored draft goes into the form with the version
it was typed on, so saving it after someone else's save meets the ordinary edit conflict and
overwrites nothing. A save of the story by that person (any new revision of theirs) discards
their draft.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles import permissions as story_permissions
from articles import revisions
from articles.models import Article

from .models import AutosaveDraft

TEXT_FIELDS = ("headline", "deck", "dateline", "body", "summary")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Only what people type; choices made with a click are not worth a restore.
TYPED = frozenset([f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES] + ["new_tags"])
NEW_FORM = "new"
_BLOCK_START = re.compile(r"<(h2|h3|blockquote|li)\b[^>]*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
# One story's typed text, however long, fits in far less; a larger body is refused unread.
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Kept:
    draft: AutosaveDraft
    # Someone saved the story after this person loaded the version they are typing on.
    stale: bool


def _may_type(user, article: Article | None) -> bool:
    if article is None:
        return user.is_active and user.has_perm("articles.add_article")
    return story_permissions.can_edit(user, article)


def keep(user, article: Article | None, data: dict, base_version: int | None) -> Kept:
    """Store the person's typed fields for this story (or their new story). Writes no story."""
    if not _may_type(user, article):
        raise PermissionDenied(_("You cannot change this story."))
    typed = {key: value for key, value in data.items() if key in TYPED and isinstance(value, str)}
    if not typed:
        raise ValidationError(_("Nothing to keep."), code="empty")
    draft, _created = AutosaveDraft.objects.update_or_create(
        user=user,
        article=article,
        form_key="" if article is not None else NEW_FORM,
        defaults={"data": typed, "base_version": base_version, "saved_at": timezone.now()},
    )
    stale = article is not None and base_version is not None and article.version != base_version
    return Kept(draft, stale)


def _saved_values(article: Article | None) -> dict:
    if article is None:
        return {}
    return {name: getattr(article, name) or "" for name in TYPED if name != "new_tags"}


def pending(user, article: Article | None) -> AutosaveDraft | None:
    """The person's unsaved draft of this story (or of a new story), if its words differ from the
    story's (the editor's markup and spacing may differ harmlessly)."""
    drafts = AutosaveDraft.objects.filter(user=user)
    drafts = drafts.filter(article=article) if article is not None else drafts.filter(article__isnull=True)
    draft = drafts.filter(form_key="" if article is not None else NEW_FORM).first()
    if draft is None:
        return None
    saved = _saved_values(article)
    differs = any(_plain(value) != _plain(saved.get(key, "")) for key, value in draft.data.items())
    return draft if differs else None


def _plain(value: str) -> str:
    """The words of a field and the kind of block each is in, whatever spacing the editor gave them."""
    marked = _BLOCK_START.sub(lambda match: f" [{match.group(1).lower()}] ", value or "")
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(" ", marked))).split())


def changes(draft: AutosaveDraft, article: Article | None, user) -> list[revisions.FieldDiff]:
    """The draft against the saved story, field by field, as the revision diff shows it."""
    saved = _saved_values(article)
    old = {**saved, "new_tags": ""}
    new = {**saved, **{key: value for key, value in draft.data.items() if key != "new_tags"}}
    result = revisions.diff(old, new, user=user)
    if draft.data.get("new_tags"):
        result.append(
            revisions.FieldDiff("new_tags", str(_("New tags")), "rtl", revisions.word_diff("", draft.data["new_tags"]))
        )
    return result


def discard(user, article: Article | None) -> int:
    drafts = AutosaveDraft.objects.filter(user=user)
    drafts = drafts.filter(article=article) if article is not None else drafts.filter(article__isnull=True)
    return drafts.delete()[0]


def revision_saved(sender, instance, created, **kwargs) -> None:
    """Receiver of Revision's post_save: the person's save of a story ends their draft of it (and a
    story's first revision ends its author's new-story draft)."""
    if not created or instance.author_id is None:
        return
    mine = Q(article_id=instance.article_id)
    if instance.number == 1:
        mine |= Q(article__isnull=True, form_key=NEW_FORM)
    AutosaveDraft.objects.filter(mine, user_id=instance.author_id).delete()
