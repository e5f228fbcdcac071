"""A scheduled story appears at its minute with no job running: visibility is a time comparison."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_scheduled_story_appears_on_the_site_at_its_minute(client, editor, monkeypatch):
    start = timezone.now()
    at = (start + timedelta(minutes=2)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    article = ArticleFactory(status="approved", publish_at=at, headline_ar="خبر مجدول للنشر")
    workflow.transition(article, "publish", editor)
    url = article.get_absolute_url()

    monkeypatch.setattr("django.utils.timezone.now", lambda: at - timedelta(seconds=1))
    assert client.get(url).status_code == 404
    assert not Article.objects.public().exists()

    monkeypatch.setattr("django.utils.timezone.now", lambda: at)
    response = client.get(url)
    assert response.status_code == 200 and "خبر مجدول للنشر" in response.content.decode()
    assert Article.objects.public().get() == article
