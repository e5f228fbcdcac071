"""Who may do what on the desk: one policy, checked with `has_perm`, never with group names."""

from .models import BudgetItem


def can_see_budget(user) -> bool:
    return user.is_active and user.has_perm("desk.view_budgetitem")


def can_plan(user) -> bool:
    """Add, change, assign and drop budget items."""
    return user.is_active and user.has_perm("desk.change_budgetitem") and user.has_perm("desk.add_budgetitem")


def can_start_story(user, item: BudgetItem) -> bool:
    """Turn an item into a story: its assigned journalist, or whoever plans the budget."""
    if not user.is_active or not user.has_perm("articles.add_article") or item.article_id is not None:
        return False
    if item.status == BudgetItem.Status.DROPPED:
        return False
    return item.assignee_id == user.pk or can_plan(user)


def can_run_live(user) -> bool:
    return user.is_active and user.has_perm("desk.run_live")


def can_see_figures(user) -> bool:
    return user.is_active and user.has_perm("desk.view_figures")
