"""Slow work on the job queue: search reindexing after a rename, and `manage.py reindex --queue`."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from articles import search, tasks
from articles.models import Tag

from .factories import AttributionFactory, SourceFactory, published

pytestmark = pytest.mark.django_db


def reindex_jobs():
    return [job.args for job in ProcrastinateJob.objects.filter(task_name="articles.reindex").order_by("id")]


def found(query: str) -> set[int]:
    return set(search.search_articles(query).values_list("pk", flat=True))


def test_renaming_a_tag_queues_the_reindex_and_search_follows_once_it_runs(client, editor):
    story = published(tags=["حلب"])
    search.update_document(story)
    tag = Tag.objects.get(name="حلب")
    client.force_login(editor)
    change = reverse("admin:articles_tag_change", args=[tag.pk])
    response = client.post(change, {"name_ar": "الشهباء", "slug": tag.slug})
    assert response.status_code == 302
    [job] = reindex_jobs()
    assert found("الشهباء") == set(), "until the job runs, the document holds the old name"
    tasks.reindex(**job)
    assert found("الشهباء") == {story.pk}


def test_renaming_a_source_reindexes_only_stories_that_name_it(client, editor):
    source = SourceFactory(name_ar="الكرملين", slug="kremlin")
    named = published()
    AttributionFactory(article=named, source=source)
    hidden = published()
    AttributionFactory(article=hidden, source=source, is_anonymous=True)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_source_change", args=[source.pk]))
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update({"name_ar": "الرئاسة الروسية", "slug": "kremlin", "kind": "organisation"})
    assert client.post(reverse("admin:articles_source_change", args=[source.pk]), data).status_code == 302
    [job] = reindex_jobs()
    assert job == {"first_id": named.pk, "last_id": named.pk}


def test_reindex_can_hand_its_batches_to_the_workers():
    stories = [published() for _ in range(5)]
    out = io.StringIO()
    call_command("reindex", "--queue", "--batch-size", "2", stdout=out)
    assert "Queued 3" in out.getvalue()
    batches = reindex_jobs()
    assert [(b["first_id"], b["last_id"]) for b in batches] == [
        (stories[0].pk, stories[1].pk),
        (stories[2].pk, stories[3].pk),
        (stories[4].pk, stories[4].pk),
    ]
    assert sum(tasks.reindex(**batch) for batch in batches) == 5
