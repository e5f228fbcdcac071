"""The whole permission matrix: every role × every move × every route.

Routes: the buttons under the change form, the list's bulk actions, and a direct POST to the move
URL. Allowed moves succeed; forbidden ones answer 403 and leave the database as it was.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision, Status, Transition
from articles.workflow import MOVES

from .admin_forms import change_form_data
from .factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

ROLES = ["author", "other_journalist", "editor", "chief"]
ALLOWED = {
    "submit": {"author", "editor", "chief"},
    "withdraw": {"author"},
    "return": {"editor", "chief"},
    "approve": {"editor", "chief"},
    "publish": {"editor", "chief"},
    "unpublish": {"editor", "chief"},
    "reopen": {"editor", "chief"},
    "reschedule": {"editor", "chief"},
    "update": {"editor", "chief"},
    "kill": {"editor", "chief"},
}
ROUTES = ["form", "bulk", "post"]
# Rescheduling takes a time of its own for each story, so it is no bulk action (a forged one is
# refused to those without the right, and does nothing for those with it).
MATRIX = [
    (move, role, route)
    for move in MOVES
    for role in ROLES
    for route in ROUTES
    if not (route == "bulk" and MOVES[move].time_required and role in ALLOWED[move])
]


@pytest.fixture
def people(journalist, other_journalist, editor, chief):
    return {"author": journalist, "other_journalist": other_journalist, "editor": editor, "chief": chief}


def story_ready_for(move: str, author) -> Article:
    status = sorted(MOVES[move].sources)[0]
    fields = {"status": status, "created_by": author}
    if status in (Status.PUBLISHED, Status.UNPUBLISHED):
        fields["publish_at"] = fields["first_published_at"] = timezone.now() - timedelta(hours=1)
    article = ArticleFactory(**fields)
    BylineFactory(article=article, author=author)
    return article


def state(article: Article) -> tuple:
    article.refresh_from_db()
    return (
        article.status,
        article.version,
        Transition.objects.filter(article=article).count(),
        Revision.objects.filter(article=article).count(),
    )


def post_move(client, article, move, route):
    comment = "يرجى توثيق المصدر" if MOVES[move].comment_required else ""
    move_data = {"workflow_move": move, "workflow_comment": comment}
    if MOVES[move].time_required:
        later = timezone.localtime() + timedelta(days=2)
        move_data.update({"workflow_publish_at_0": f"{later:%Y-%m-%d}", "workflow_publish_at_1": "09:30"})
    if route == "post":
        url = reverse("admin:articles_article_move", args=[article.pk])
        return client.post(url, move_data)
    if route == "bulk":
        url = reverse("admin:articles_article_changelist")
        return client.post(
            url, {"action": f"move_{move}", "_selected_action": [article.pk], "workflow_comment": comment}
        )
    # The change form: its button saves then moves when the person may edit the story, and posts to
    # the move URL (formaction) when they may only look at it.
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change_url)
    if page.status_code != 200:
        return page
    if page.context["can_edit_story"]:
        data = change_form_data(page)
        data.update(move_data)
        return client.post(change_url, data)
    url = reverse("admin:articles_article_move", args=[article.pk])
    return client.post(url, move_data)


@pytest.mark.parametrize(("move", "role", "route"), MATRIX)
def test_permission_matrix(client, people, move, role, route):
    article = story_ready_for(move, people["author"])
    before = state(article)
    client.force_login(people[role])

    response = post_move(client, article, move, route)

    if role in ALLOWED[move]:
        assert response.status_code in (200, 302), f"{role} could not {move} by {route}: {response.status_code}"
        article.refresh_from_db()
        assert article.status == MOVES[move].target, f"{role} {move} by {route} left the story {article.status}"
        assert Transition.objects.filter(article=article, move=move, by=people[role]).exists()
    else:
        assert response.status_code == 403, f"{role} was not refused {move} by {route}: {response.status_code}"
        assert state(article) == before, f"{role}'s refused {move} by {route} changed the database"


@pytest.mark.parametrize("move", list(MOVES))
def test_change_page_shows_exactly_the_moves_a_person_may_make(client, people, move):
    article = story_ready_for(move, people["author"])
    for role in ROLES:
        client.force_login(people[role])
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        shown = {rule.name for rule in page.context["workflow_moves"]} if page.status_code == 200 else set()
        html = page.content.decode()
        assert (move in shown) == (role in ALLOWED[move]), f"{role} sees {sorted(shown)} on a {article.status} story"
        assert (f'value="{move}"' in html) == (role in ALLOWED[move])


def test_journalist_cannot_publish_by_direct_post(client, journalist):
    article = story_ready_for("publish", journalist)
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_article_move", args=[article.pk]), {"workflow_move": "publish"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert not Article.objects.public().exists()


def test_journalist_cannot_publish_own_draft_by_forging_the_form(client, journalist):
    article = story_ready_for("submit", journalist)
    client.force_login(journalist)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(change_url))
    data.update({"workflow_move": "publish", "headline_ar": "عنوان معدّل"})
    assert client.post(change_url, data).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.headline_ar != "عنوان معدّل"


def test_forged_bulk_publish_is_refused_even_when_not_offered(client, journalist):
    article = story_ready_for("publish", journalist)
    client.force_login(journalist)
    page = client.get(reverse("admin:articles_article_changelist"))
    assert "move_publish" not in page.content.decode()
    response = client.post(
        reverse("admin:articles_article_changelist"), {"action": "move_publish", "_selected_action": [article.pk]}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_bulk_action_refused_for_one_story_changes_none(client, journalist, other_journalist):
    mine = story_ready_for("withdraw", journalist)
    theirs = story_ready_for("withdraw", other_journalist)
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "move_withdraw", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == theirs.status == Status.SUBMITTED


def test_bulk_action_skips_stories_in_the_wrong_state_and_says_so(client, editor, journalist):
    ready = story_ready_for("approve", journalist)
    draft = story_ready_for("submit", journalist)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "move_approve", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    draft.refresh_from_db()
    assert ready.status == Status.APPROVED and draft.status == Status.DRAFT
    texts = [str(m) for m in response.context["messages"]]
    assert any(draft.headline_ar in text for text in texts), texts


def test_bulk_return_asks_for_the_comment_first(client, editor, journalist):
    article = story_ready_for("return", journalist)
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    page = client.post(url, {"action": "move_return", "_selected_action": [article.pk]})
    assert page.status_code == 200
    assert 'name="workflow_comment"' in page.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    client.post(url, {"action": "move_return", "_selected_action": [article.pk], "workflow_comment": "أضف مصدراً"})
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert Transition.objects.get(article=article, move="return").comment == "أضف مصدراً"


def test_return_without_comment_from_the_form_keeps_what_was_typed(client, editor, journalist):
    article = story_ready_for("return", journalist)
    client.force_login(editor)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(change_url))
    data.update({"workflow_move": "return", "workflow_comment": "", "headline_ar": "عنوان كتبه المحرر"})
    response = client.post(change_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "عنوان كتبه المحرر" in html
    assert response.context["adminform"].form.errors["workflow_comment"]
    article.refresh_from_db()
    assert article.status == Status.APPROVED and article.headline_ar != "عنوان كتبه المحرر"


def test_journalists_edit_only_their_own_drafts(client, journalist, other_journalist):
    mine = story_ready_for("submit", journalist)
    submitted = story_ready_for("approve", journalist)
    theirs = story_ready_for("submit", other_journalist)
    client.force_login(journalist)
    for article, editable in [(mine, True), (submitted, False), (theirs, False)]:
        url = reverse("admin:articles_article_change", args=[article.pk])
        page = client.get(url)
        assert page.status_code == 200, "journalists can read colleagues' stories"
        assert page.context["has_change_permission"] is editable
        data = change_form_data(page) if editable else {"headline_ar": "تغيير"}
        data["headline_ar"] = "تغيير من الصحفي"
        response = client.post(url, data)
        article.refresh_from_db()
        if editable:
            assert response.status_code == 302 and article.headline_ar == "تغيير من الصحفي"
        else:
            assert response.status_code == 403 and article.headline_ar != "تغيير من الصحفي"
