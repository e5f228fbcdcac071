"""The newsroom's background jobs (procrastinate): slow work taken off the request path."""

from django.db import transaction
from procrastinate.contrib.django import app

from . import search
from .models import Article

REINDEX_BATCH = 1000


@app.task(name="articles.reindex", queue="search")
def reindex(first_id: int, last_id: int) -> int:
    """Rebuild the search documents of the stories with ids in [first_id, last_id]."""
    with transaction.atomic():
        ids = list(Article.objects.filter(pk__gte=first_id, pk__lte=last_id).values_list("pk", flat=True))
        return search.update_documents(ids)


def queue_reindex(ids, batch_size: int = REINDEX_BATCH) -> int:
    """Queue the rebuild of these stories' documents in batches; returns how many jobs. Call inside
    the transaction whose change makes them stale (a tag or a source renamed), so the jobs run
    only if it commits. Until they run, search finds the stories by their old words."""
    from newsroom import jobs

    ids = sorted(set(ids))
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    for batch in batches:
        jobs.defer(reindex, first_id=batch[0], last_id=batch[-1])
    return len(batches)
