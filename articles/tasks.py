"""The newsroom's background jobs (procrastinate): slow work taken off the request path."""

from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from . import images, search
from .models import Article, Image, Rendition

REINDEX_BATCH = 1000
# A failed rendition job (the media storage down, say) is tried again after 3, 9, 27, 81 and
# 243 s: six tries over about six minutes, then it stays failed and the admin says so.
RENDITION_RETRY = RetryStrategy(max_attempts=6, exponential_wait=3)


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


@app.task(name="articles.make_renditions", queue="images", retry=RENDITION_RETRY)
def make_renditions(image_id: int, remake: bool = False) -> int:
    """Make the picture's missing renditions and remove stale ones (`remake`: make them all again);
    returns how many it has.

    Safe to run twice, and after a run killed midway (`images.make_renditions`). A picture deleted
    before its job ran needs nothing.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return 0
    return len(images.make_renditions(image, remake=remake))


def queue_renditions(image: Image, remake: bool = False) -> int:
    """Queue the making of the picture's renditions; returns the job's id. Call inside the
    transaction that stores the picture (`images.save_image`), so the job runs only if it commits."""
    from newsroom import jobs

    arguments = {"image_id": image.pk, **({"remake": True} if remake else {})}
    return jobs.defer(make_renditions, **arguments)


def renditions_state(image: Image) -> str:
    """ "ready" when the picture has every rendition it should; otherwise "pending" while a job is
    queued or running for it, and "failed" when its last job gave up (or none was queued)."""
    # Read afresh: the admin's list prefetches only the square thumbnails.
    if not images.missing_renditions(image, Rendition.objects.filter(image_id=image.pk)):
        return "ready"
    status = (
        ProcrastinateJob.objects.filter(task_name=make_renditions.name, args__image_id=image.pk)
        .order_by("-id")
        .values_list("status", flat=True)
        .first()
    )
    return "pending" if status in {"todo", "doing"} else "failed"
