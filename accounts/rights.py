"""Who may act on whose account, and who may hand out which permission: the one policy.

The rule: nobody acts on an account that holds rights they do not hold themselves (a superuser,
or anyone whose permissions are not a subset of the actor's), and nobody grants a permission —
to a person or a role, directly or by putting a person in a role — that they do not hold. So no
route through staff management can leave anyone with more than the person who used it.

Permissions are compared as "app_label.codename" strings, counting what an account is assigned
whether or not it is active today (an inactive account can be switched back on).
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet


def _codes(permissions: QuerySet) -> set[str]:
    return {f"{app}.{code}" for app, code in permissions.values_list("content_type__app_label", "codename")}


def held(user) -> set[str]:
    """Every permission `user` holds or is assigned; a superuser holds all of them."""
    if user.is_superuser:
        return _codes(Permission.objects.all())
    if not user.is_authenticated or user.pk is None:
        return set()
    return _codes(Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct())


def group_permissions(group: Group) -> set[str]:
    return _codes(group.permissions.all())


def may_act_on(actor, account) -> bool:
    """Whether `actor` may change, reset or delete `account` (never one with more rights)."""
    if actor.is_superuser:
        return True
    if account.is_superuser:
        return False
    return held(account) <= held(actor)


def may_act_on_group(actor, group: Group) -> bool:
    return actor.is_superuser or group_permissions(group) <= held(actor)


def beyond(actor, permissions: Iterable[Permission]) -> list[Permission]:
    """Those of `permissions` that `actor` may not grant, because they do not hold them."""
    mine = held(actor)
    return [p for p in permissions if f"{p.content_type.app_label}.{p.codename}" not in mine]


def grantable_permissions(actor) -> QuerySet:
    """The permissions `actor` may hand out: their own."""
    if actor.is_superuser:
        return Permission.objects.all()
    return Permission.objects.filter(Q(user=actor) | Q(group__user=actor)).distinct()


def grantable_groups(actor, groups: QuerySet | None = None) -> QuerySet:
    """The groups (roles) `actor` may put people in: those holding nothing beyond the actor's rights."""
    groups = Group.objects.all() if groups is None else groups
    if actor.is_superuser:
        return groups
    return groups.exclude(permissions__in=Permission.objects.exclude(pk__in=grantable_permissions(actor)))


def reachable_accounts(actor, accounts: QuerySet) -> QuerySet:
    """`accounts` less those `actor` may not act on, as one query (for lists and bulk actions)."""
    if actor.is_superuser:
        return accounts
    others = Permission.objects.exclude(pk__in=grantable_permissions(actor))
    return (
        accounts.exclude(is_superuser=True).exclude(user_permissions__in=others).exclude(groups__permissions__in=others)
    )
