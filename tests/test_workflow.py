"""workflow.transition(): one move, all or nothing, with its audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import workflow
from articles.models import Article, Revision, Status, Transition

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_table_is_the_one_in_the_issue():
    table = {name: (sorted(rule.sources), rule.target, rule.comment_required) for name, rule in workflow.MOVES.items()}
    assert table == {
        "submit": (["draft"], "submitted", False),
        "withdraw": (["submitted"], "draft", False),
        "return": (["approved", "submitted"], "draft", True),
        "approve": (["submitted"], "approved", False),
        "publish": (["approved", "submitted"], "published", False),
        "unpublish": (["published"], "unpublished", True),
        "reopen": (["unpublished"], "draft", False),
        "reschedule": (["published"], "published", False),
        "update": (["published"], "published", False),
        "kill": (["published", "unpublished"], "killed", True),
    }


def test_a_story_goes_from_draft_to_published_with_its_audit_trail(journalist, editor):
    article = ArticleFactory(created_by=journalist)
    workflow.transition(article, "submit", journalist, "جاهز للمراجعة")
    workflow.transition(article, "approve", editor)
    workflow.transition(article, "publish", editor)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.first_published_at == article.publish_at
    assert Article.objects.public().filter(pk=article.pk).exists()
    trail = list(
        Transition.objects.filter(article=article).order_by("id").values_list("move", "from_status", "to_status")
    )
    assert trail == [
        ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved"),
        ("publish", "approved", "published"),
    ]
    assert Transition.objects.get(article=article, move="submit").comment == "جاهز للمراجعة"
    assert Revision.objects.filter(article=article).count() == 3
    assert article.version == 4


def test_first_published_at_is_set_once(editor):
    article = ArticleFactory(status=Status.SUBMITTED)
    workflow.transition(article, "publish", editor)
    first = article.first_published_at
    workflow.transition(article, "unpublish", editor, "خطأ في الأرقام")
    workflow.transition(article, "reopen", editor)
    workflow.transition(article, "submit", editor)
    workflow.transition(article, "publish", editor)
    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.publish_at >= first


@pytest.mark.parametrize("move", ["return", "unpublish"])
def test_moves_that_need_a_comment_refuse_without_one_and_change_nothing(editor, move):
    status = sorted(workflow.MOVES[move].sources)[0]
    extra = {"publish_at": timezone.now(), "first_published_at": timezone.now()} if status == "published" else {}
    article = ArticleFactory(status=status, **extra)
    with pytest.raises(ValidationError, match=r"comment|تعليق"):
        workflow.transition(article, move, editor, "   ")
    article.refresh_from_db()
    assert article.status == status and article.version == 1
    assert not Transition.objects.filter(article=article).exists()


def test_a_move_from_the_wrong_state_is_refused(editor):
    article = ArticleFactory(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        workflow.transition(article, "publish", editor)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_move_without_the_right_is_refused_and_changes_nothing(journalist):
    article = ArticleFactory(status=Status.SUBMITTED, created_by=journalist)
    with pytest.raises(PermissionDenied):
        workflow.transition(article, "publish", journalist)
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED and not Transition.objects.exists() and not Revision.objects.exists()


def test_an_unknown_move_is_refused(editor):
    with pytest.raises(ValidationError):
        workflow.transition(ArticleFactory(), "delete", editor)


def test_publishing_with_a_future_time_schedules_without_any_job(editor):
    at = timezone.now() + timedelta(minutes=2)
    article = ArticleFactory(status=Status.APPROVED, publish_at=at)
    workflow.transition(article, "publish", editor)
    assert article.status == Status.PUBLISHED and article.publish_at == at
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert not Article.objects.public(now=at - timedelta(seconds=1)).filter(pk=article.pk).exists()
    assert Article.objects.public(now=at).filter(pk=article.pk).exists()


def test_publishing_with_a_past_time_publishes_now(editor):
    article = ArticleFactory(status=Status.APPROVED, publish_at=timezone.now() - timedelta(days=3))
    before = timezone.now()
    workflow.transition(article, "publish", editor)
    assert article.publish_at >= before


def test_unpublished_story_leaves_the_public_site(editor):
    article = ArticleFactory(status=Status.SUBMITTED)
    workflow.transition(article, "publish", editor)
    workflow.transition(article, "unpublish", editor, "طلب قانوني")
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert Transition.objects.get(article=article, move="unpublish").comment == "طلب قانوني"


def test_transition_purges_the_cache_only_after_commit(editor, django_capture_on_commit_callbacks, monkeypatch):
    purged = []
    monkeypatch.setattr("articles.cache.invalidate_article", lambda article: purged.append(article.pk))
    article = ArticleFactory(status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(article, "publish", editor)
    assert purged == [] and callbacks, "nothing is purged before the commit"
    for callback in callbacks:
        callback()
    assert purged == [article.pk]


def test_transition_refreshes_the_search_document(editor):
    article = ArticleFactory(status=Status.SUBMITTED, headline_ar="زلزال يضرب اللاذقية")
    workflow.transition(article, "publish", editor)
    article.refresh_from_db()
    assert article.search_document


def test_an_update_keeps_the_publication_time_and_counts_a_delivered_version(editor):
    article = ArticleFactory(status=Status.SUBMITTED)
    workflow.transition(article, "publish", editor)
    published_at, internal = article.publish_at, article.version
    workflow.transition(article, "update", editor, "حصيلة جديدة")
    article.refresh_from_db()
    assert article.publish_at == published_at, "an update does not move the story up the front page"
    assert article.wire_version == 2 and article.update_note == "حصيلة جديدة"
    assert article.version == internal + 1


def test_a_kill_is_final_and_leaves_no_preview(client, editor, settings):
    from articles import preview

    article = ArticleFactory(status=Status.SUBMITTED)
    workflow.transition(article, "publish", editor)
    link = preview.url(preview.create_link(article, editor)).removeprefix(settings.SITE_URL)
    assert client.get(link).status_code == 200
    workflow.transition(article, "kill", editor, "أمر قضائي")
    assert article.status == Status.KILLED and article.wire_version == 2
    for move in workflow.MOVES:
        with pytest.raises((ValidationError, PermissionDenied)):
            workflow.transition(article, move, editor, "تعليق")
    assert client.get(link).status_code == 403, "a preview link made before the kill shows nothing"
