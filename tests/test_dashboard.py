"""The admin home is the newsroom's dashboard: each queue with counts and links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Status

from .factories import ArticleFactory, published

pytestmark = pytest.mark.django_db


def queue_rows(client):
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    return page, {row["queue"].key: row for row in page.context["queues"]}


def test_journalist_sees_a_returned_story_with_the_editors_comment(client, journalist, editor):
    article = ArticleFactory(created_by=journalist, headline_ar="خبر يحتاج إلى مصدر")
    workflow.transition(article, "submit", journalist)
    workflow.transition(article, "return", editor, "أضيفي اسم المسؤول أو صفته")
    ArticleFactory(created_by=journalist, headline_ar="مسودتي الأخرى")

    client.force_login(journalist)
    page, rows = queue_rows(client)
    assert [s.headline_ar for s in rows["returned"]["stories"]] == ["خبر يحتاج إلى مصدر"]
    assert [s.headline_ar for s in rows["mine"]["stories"]] == ["مسودتي الأخرى"]
    assert "أضيفي اسم المسؤول أو صفته" in page.content.decode()


def test_editor_sees_counts_of_every_queue_and_scheduled_times(client, editor):
    ArticleFactory.create_batch(2, status=Status.SUBMITTED)
    ArticleFactory(status=Status.APPROVED)
    at = timezone.now() + timedelta(hours=3)
    ArticleFactory(status=Status.PUBLISHED, publish_at=at, first_published_at=at, headline_ar="خبر مجدول")
    published(headline_ar="خبر منشور للتو")
    client.force_login(editor)
    page, rows = queue_rows(client)
    counts = {key: row["count"] for key, row in rows.items()}
    assert counts == {"mine": 0, "returned": 0, "review": 2, "approved": 1, "scheduled": 1, "recent": 1}
    assert "خبر مجدول" in page.content.decode()


def test_dashboard_links_open_the_filtered_story_list(client, editor):
    ArticleFactory(status=Status.SUBMITTED, headline_ar="بانتظار محرر")
    ArticleFactory(status=Status.DRAFT, headline_ar="مسودة لا تظهر")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist") + "?queue=review")
    html = page.content.decode()
    assert "بانتظار محرر" in html and "مسودة لا تظهر" not in html
