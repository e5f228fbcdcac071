"""A published story is never deleted, by any route: it keeps its trail and is unpublished instead.
Stories readers are not seeing may still be deleted by those allowed to delete stories."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Revision, Status, Transition
from articles.workflow import DELETABLE

from .factories import ArticleFactory, UserFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleter(db):
    """An editor who also holds the right to delete stories (no role has it by default)."""
    person = UserFactory(username="deleter", role="Editors")
    person.user_permissions.add(Permission.objects.get(codename="delete_article"))
    return person


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def test_a_published_story_cannot_be_deleted_from_its_page(client, deleter):
    article = published()
    client.force_login(deleter)
    change = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert delete_url(article) not in change
    assert client.get(delete_url(article)).status_code == 403
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_published_story_cannot_be_deleted_by_the_bulk_action(client, deleter):
    draft, live = ArticleFactory(), published(headline_ar="خبر منشور لا يُحذف")
    client.force_login(deleter)
    url = reverse("admin:articles_article_changelist")
    data = {"action": "delete_selected", "_selected_action": [draft.pk, live.pk]}
    page = client.post(url, data)
    assert "خبر منشور لا يُحذف" in page.content.decode() and "يُلغى نشره ولا يُحذف" in page.content.decode()
    assert client.post(url, {**data, "post": "yes"}).status_code == 403
    assert Article.objects.filter(pk__in=[draft.pk, live.pk]).count() == 2, "nothing is deleted when one is refused"


def test_a_scheduled_story_is_published_and_cannot_be_deleted(client, deleter):
    article = published(publish_at=timezone.now() + timedelta(days=1))
    client.force_login(deleter)
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("status", sorted(DELETABLE))
def test_stories_readers_do_not_see_may_be_deleted(client, deleter, status):
    article = ArticleFactory(status=status)
    client.force_login(deleter)
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_unpublished_then_deleted_after_unpublishing(client, deleter, editor):
    article = published()
    client.force_login(deleter)
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 403
    workflow.transition(article, "unpublish", editor, "خبر مكرر")
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 302


@pytest.mark.parametrize("role", ["journalist", "editor", "chief"])
def test_no_role_deletes_a_story_by_default(client, role_users, role):
    article = ArticleFactory(created_by=role_users[role], status=Status.DRAFT)
    client.force_login(role_users[role])
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_trail_of_a_published_story_survives_a_forged_bulk_delete(client, deleter, editor):
    article = ArticleFactory(status=Status.SUBMITTED)
    workflow.transition(article, "publish", editor)
    client.force_login(deleter)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert Transition.objects.filter(article=article).exists() and Revision.objects.filter(article=article).exists()
