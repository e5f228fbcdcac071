"""Who may do what to a story: one policy, checked with `has_perm`, never with group names.

Ownership follows Wagtail's OwnershipPermissionPolicy: `add_article` lets a person write stories
and change their own drafts; `change_article` lets them change every story.
"""

from django.db.models import Q

from .models import Article, Status


def owns(user, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.bylines.filter(author_id=user.pk).exists()


def can_write_stories(user) -> bool:
    """May this person write stories at all (their own, or everyone's)? Also: pick co-authors."""
    return user.is_active and (user.has_perm("articles.add_article") or user.has_perm("articles.change_article"))


def can_edit(user, article: Article) -> bool:
    if not user.is_active or not user.is_authenticated:
        return False
    if user.has_perm("articles.change_article"):
        return True
    if article.pk is None:
        return user.has_perm("articles.add_article")
    return user.has_perm("articles.add_article") and article.status == Status.DRAFT and owns(user, article)


def editable_by(user, queryset=None):
    """The stories this person may change, for admin querysets."""
    queryset = Article.objects.all() if queryset is None else queryset
    if user.has_perm("articles.change_article"):
        return queryset
    if not user.has_perm("articles.add_article"):
        return queryset.none()
    return queryset.filter(Q(created_by=user) | Q(bylines__author=user), status=Status.DRAFT).distinct()


def permitted(user, move: str, article: Article) -> bool:
    """Has this person the right to make this move on this story, whatever state it is in?"""
    from .workflow import MOVES

    rule = MOVES.get(move)
    if rule is None or not user.is_active or not user.has_perm(rule.permission):
        return False
    if rule.owner_only:
        return owns(user, article)
    if rule.owner_or_editor:
        return owns(user, article) or user.has_perm("articles.change_article")
    return True


def can(user, move: str, article: Article) -> bool:
    """May this person make this move on this story now (state and permission both)?"""
    from .workflow import MOVES

    rule = MOVES.get(move)
    return rule is not None and article.status in rule.sources and permitted(user, move, article)


def allowed_moves(user, article: Article) -> list[str]:
    from .workflow import MOVES

    return [name for name in MOVES if can(user, name, article)]


def can_preview(user, article: Article) -> bool:
    """Preview links of a story are for the people who may edit it (editors may edit every story)."""
    return article.pk is not None and can_edit(user, article)


def can_delete(user, article: Article) -> bool:
    """A published story is never deleted (its trail stays): it is unpublished instead."""
    from .workflow import DELETABLE

    return user.is_active and user.has_perm("articles.delete_article") and article.status in DELETABLE
