"""Upgrading a database that holds stories: the migrations of this round run on real rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_URGENCY = [("articles", "0009_search_lexicon")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_breaking_flag_becomes_urgency_on_a_database_with_stories():
    migrate(BEFORE_URGENCY)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE_URGENCY).apps
        section = old.get_model("articles", "Section").objects.create(name_ar="سوريا", slug="syria")
        agency = old.get_model("articles", "Source").objects.create(name_ar="وكالة", slug="agency", kind="agency")
        Article = old.get_model("articles", "Article")
        now = timezone.now()
        common = {
            "section": section,
            "credit": agency,
            "body_ar": "<p>نص</p>",
            "status": "published",
            "publish_at": now,
            "first_published_at": now,
        }
        breaking = Article.objects.create(headline_ar="عاجل", slug="breaking", is_breaking=True, **common)
        normal = Article.objects.create(headline_ar="عادي", slug="normal", is_breaking=False, **common)
    finally:
        # Forward again, on the rows just written. Published stories are updated twice (urgency, then
        # their first delivered version), which queues their foreign-key checks until the commit:
        # altering the table in that same transaction failed ("pending trigger events").
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from articles.models import Article as Current

    assert Current.objects.get(pk=breaking.pk).urgency == 3
    assert Current.objects.get(pk=normal.pk).urgency == 5
